// Boxes on frames in the catalog: create, edit (optimistic revision check), soft delete, each in one transaction
// with its history row and an audit entry. A box takes its patient and study from its instance, never from the
// caller, so it cannot be filed under the wrong patient.
import { AppError } from '../ipc/index.ts';
import { type Store, writeAudit } from '../store/index.ts';

export interface BoxGeometry {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Box extends BoxGeometry {
  id: number;
  instanceId: number;
  frame: number;
  patientId: number;
  studyId: number;
  shape: 'box' | 'point';
  label: string;
  grade: string | null;
  reader: string | null;
  revision: number;
  createdAt: string;
  updatedAt: string;
}

export interface NewBox extends BoxGeometry {
  instanceId: number;
  frame: number;
  shape: 'box' | 'point';
  label: string;
  grade: string | null;
  reader: string | null;
}

export interface BoxEdit {
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  label?: string;
  grade?: string | null;
  /** The revision the editor saw: a later edit by someone else makes this one fail instead of overwriting it. */
  revision: number;
  reader: string | null;
}

export interface FrameFacts {
  instanceId: number;
  patientId: number;
  studyId: number;
  sopInstanceUid: string;
  rows: number;
  columns: number;
  frames: number;
}

const SELECT = `SELECT id, instance_id AS instanceId, frame_index AS frame, patient_id AS patientId, study_id AS studyId, shape, x, y, width, height,
  label, grade, reader, revision, created_at AS createdAt, updated_at AS updatedAt FROM annotation_boxes`;

export function frameFacts(store: Store, instanceId: number): FrameFacts {
  const row = store.db
    .prepare(
      `SELECT i.id AS instanceId, st.patient_id AS patientId, st.id AS studyId, i.sop_instance_uid AS sopInstanceUid, i.rows, i.columns, i.frames, i.kind
       FROM instances i JOIN series se ON se.id = i.series_id JOIN studies st ON st.id = se.study_id WHERE i.id = ?`,
    )
    .get(instanceId) as (FrameFacts & { kind: string }) | undefined;
  if (!row) throw new AppError('instance-not-found', `Instance ${instanceId} is not in the library; it may have been removed. Refresh the list.`);
  if (row.kind !== 'image' || !row.rows || !row.columns || !row.frames) {
    throw new AppError('instance-not-image', `Instance ${instanceId} has no frames to draw on (it is a ${row.kind}).`);
  }
  const { kind: _kind, ...facts } = row;
  return facts;
}

export function checkGeometry(facts: FrameFacts, frame: number, g: BoxGeometry, shape: 'box' | 'point'): void {
  if (!Number.isInteger(frame) || frame < 0 || frame >= facts.frames) {
    throw new AppError('frame-out-of-range', `Frame ${frame + 1} does not exist; instance ${facts.instanceId} has ${facts.frames} frames.`);
  }
  const whole = [g.x, g.y, g.width, g.height].every(Number.isInteger);
  if (!whole || g.width < 1 || g.height < 1 || g.x < 0 || g.y < 0 || g.x + g.width > facts.columns || g.y + g.height > facts.rows) {
    throw new AppError(
      'box-outside-frame',
      `The box (${g.x}, ${g.y}, ${g.width}×${g.height}) does not lie on the ${facts.columns}×${facts.rows} frame: boxes are whole pixels inside the image. Redraw it inside the image.`,
      { ...g, columns: facts.columns, rows: facts.rows },
    );
  }
  if (shape === 'point' && g.width !== g.height) {
    throw new AppError('point-not-square', `A point + radius mark is stored as its bounding square; got ${g.width}×${g.height}.`);
  }
}

export function getBox(store: Store, id: number): Box {
  const row = store.db.prepare(`${SELECT} WHERE id = ? AND deleted_at IS NULL`).get(id) as Box | undefined;
  if (!row) throw new AppError('box-not-found', `Box ${id} does not exist or was deleted. Reload the frame's boxes.`);
  return row;
}

export function listBoxes(store: Store, filter: { instanceId?: number; instanceIds?: readonly number[] } = {}): Box[] {
  if (filter.instanceId !== undefined) {
    return store.db.prepare(`${SELECT} WHERE deleted_at IS NULL AND instance_id = ? ORDER BY frame_index, id`).all(filter.instanceId) as unknown as Box[];
  }
  const all = store.db.prepare(`${SELECT} WHERE deleted_at IS NULL ORDER BY instance_id, frame_index, id`).all() as unknown as Box[];
  if (!filter.instanceIds) return all;
  const wanted = new Set(filter.instanceIds);
  return all.filter((b) => wanted.has(b.instanceId));
}

function recordChange(store: Store, box: Box, action: 'create' | 'update' | 'delete' | 'import', before: Box | null, after: Box | null, reader: string | null, at: string): void {
  store.db
    .prepare('INSERT INTO annotation_changes (box_id, revision, action, before_json, after_json, reader, at) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(box.id, after?.revision ?? box.revision, action, before ? JSON.stringify(before) : null, after ? JSON.stringify(after) : null, reader, at);
  writeAudit(store, {
    action: `annotation.${action}`,
    objectType: 'annotation-box',
    objectId: String(box.id),
    reader,
    detail: { instanceId: box.instanceId, frame: box.frame, patientId: box.patientId, revision: after?.revision ?? box.revision },
  });
}

export function insertBox(store: Store, box: NewBox, action: 'create' | 'import' = 'create', now = new Date()): Box {
  const facts = frameFacts(store, box.instanceId);
  checkGeometry(facts, box.frame, box, box.shape);
  const at = now.toISOString();
  return store.transaction(() => {
    const result = store.db
      .prepare(
        `INSERT INTO annotation_boxes (instance_id, frame_index, patient_id, study_id, shape, x, y, width, height, label, grade, reader, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(box.instanceId, box.frame, facts.patientId, facts.studyId, box.shape, box.x, box.y, box.width, box.height, box.label, box.grade, box.reader, at, at);
    const created = getBox(store, Number(result.lastInsertRowid));
    recordChange(store, created, action, null, created, box.reader, at);
    return created;
  });
}

export function updateBox(store: Store, id: number, edit: BoxEdit, now = new Date()): Box {
  return store.transaction(() => {
    const before = getBox(store, id);
    if (before.revision !== edit.revision) {
      throw new AppError('box-changed', `Box ${id} was changed (now revision ${before.revision}) since you loaded revision ${edit.revision}. Reload the boxes and edit again.`, { current: before });
    }
    const next = { x: edit.x ?? before.x, y: edit.y ?? before.y, width: edit.width ?? before.width, height: edit.height ?? before.height };
    checkGeometry(frameFacts(store, before.instanceId), before.frame, next, before.shape);
    const at = now.toISOString();
    store.db
      .prepare('UPDATE annotation_boxes SET x = ?, y = ?, width = ?, height = ?, label = ?, grade = ?, revision = revision + 1, updated_at = ? WHERE id = ?')
      .run(next.x, next.y, next.width, next.height, edit.label ?? before.label, edit.grade === undefined ? before.grade : edit.grade, at, id);
    const after = getBox(store, id);
    recordChange(store, after, 'update', before, after, edit.reader, at);
    return after;
  });
}

export function deleteBox(store: Store, id: number, reader: string | null, now = new Date()): void {
  store.transaction(() => {
    const before = getBox(store, id);
    const at = now.toISOString();
    store.db.prepare('UPDATE annotation_boxes SET deleted_at = ?, revision = revision + 1, updated_at = ? WHERE id = ?').run(at, at, id);
    recordChange(store, { ...before, revision: before.revision + 1 }, 'delete', before, null, reader, at);
  });
}

export interface BoxChange {
  revision: number;
  action: string;
  reader: string | null;
  at: string;
  before: Box | null;
  after: Box | null;
}

export function boxHistory(store: Store, id: number): BoxChange[] {
  const rows = store.db
    .prepare('SELECT revision, action, reader, at, before_json AS beforeJson, after_json AS afterJson FROM annotation_changes WHERE box_id = ? ORDER BY id')
    .all(id) as { revision: number; action: string; reader: string | null; at: string; beforeJson: string | null; afterJson: string | null }[];
  return rows.map((r) => ({ revision: r.revision, action: r.action, reader: r.reader, at: r.at, before: r.beforeJson ? JSON.parse(r.beforeJson) : null, after: r.afterJson ? JSON.parse(r.afterJson) : null }));
}
