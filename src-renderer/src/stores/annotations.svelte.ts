// Boxes on the open run's frames as the box layer and the annotation panel show them: load per instance, draw,
// move, resize, relabel and delete (applied at once on screen, saved one after another so each edit carries the
// revision the last one left), the class list, patch generation with its versioned recipe, box files and
// full-frame evaluation. Components only draw what this holds.
import type { InvokeInput, InvokeOutput } from '../../../src-preload/contract.ts';
import type { AngioApi } from '../lib/api.ts';

export type BoxRow = InvokeOutput<'annotations.list'>['boxes'][number];
export type ClassList = InvokeOutput<'annotations.classes.get'>;
export type PatchParams = InvokeOutput<'annotations.recipe'>['defaults'];
export type PatchSet = InvokeOutput<'annotations.generatePatches'>;
export type DetectionScore = InvokeOutput<'annotations.evaluate'>['score'];
export type BoxFileFormat = InvokeInput<'annotations.export'>['format'];
export type Tool = 'select' | 'box' | 'point';
export interface Geometry {
  x: number;
  y: number;
  width: number;
  height: number;
}

export class AnnotationStore {
  private readonly api: AngioApi;

  constructor(api: AngioApi) {
    this.api = api;
  }

  instanceId = $state<number | null>(null);
  boxes = $state<BoxRow[]>([]);
  selectedId = $state<number | null>(null);
  tool = $state<Tool>('select');
  classList = $state<ClassList>({ classes: [{ name: 'stenosis', grades: [] }], gradesEnabled: false });
  label = $state('stenosis');
  grade = $state<string | null>(null);
  reader = $state('');
  error = $state<string | null>(null);
  notice = $state<string | null>(null);
  recipe = $state<InvokeOutput<'annotations.recipe'> | null>(null);
  params = $state<PatchParams | null>(null);
  patchSet = $state.raw<PatchSet | null>(null);
  generating = $state(false);
  evaluation = $state.raw<DetectionScore | null>(null);
  evaluating = $state(false);

  private saving: Promise<unknown> = Promise.resolve();
  private generation = 0;

  readonly framesWithBoxes: number[] = $derived([...new Set(this.boxes.map((b) => b.frame))].sort((a, b) => a - b));
  readonly selected: BoxRow | null = $derived(this.boxes.find((b) => b.id === this.selectedId) ?? null);
  readonly grades: string[] = $derived(this.classList.classes.find((c) => c.name === this.label)?.grades ?? []);

  private get who(): string | null {
    return this.reader.trim() || null;
  }

  boxesOn(frame: number): BoxRow[] {
    return this.boxes.filter((b) => b.frame === frame);
  }

  private fail(what: string, error: { message: string; code: string }): void {
    this.error = `${what}: ${error.message}`;
  }

  async start(): Promise<void> {
    const [classes, recipe] = await Promise.all([this.api.invoke['annotations.classes.get']({}), this.api.invoke['annotations.recipe']({})]);
    if (classes.ok) {
      this.classList = classes.value;
      if (!classes.value.classes.some((c) => c.name === this.label)) this.label = classes.value.classes[0]!.name;
    }
    if (recipe.ok) {
      this.recipe = recipe.value;
      this.params ??= structuredClone(recipe.value.defaults);
    }
  }

  async load(instanceId: number): Promise<void> {
    const generation = ++this.generation;
    this.instanceId = instanceId;
    this.selectedId = null;
    const answer = await this.api.invoke['annotations.list']({ instanceId });
    if (generation !== this.generation) return;
    if (!answer.ok) return this.fail('The boxes of this image could not be loaded', answer.error);
    this.boxes = answer.value.boxes;
  }

  private replace(box: BoxRow): void {
    this.boxes = this.boxes.some((b) => b.id === box.id) ? this.boxes.map((b) => (b.id === box.id ? box : b)) : [...this.boxes, box];
  }

  async create(frame: number, geometry: Geometry, shape: 'box' | 'point' = 'box'): Promise<BoxRow | null> {
    if (this.instanceId === null) return null;
    const grade = this.classList.gradesEnabled ? this.grade : null;
    const answer = await this.api.invoke['annotations.create']({ instanceId: this.instanceId, frame, shape, ...geometry, label: this.label, grade, reader: this.who });
    if (!answer.ok) {
      this.fail('The box was not saved', answer.error);
      return null;
    }
    this.replace(answer.value.box);
    this.selectedId = answer.value.box.id;
    return answer.value.box;
  }

  /** Shows the edit at once and saves it after any edit still on its way, with the revision that one left. */
  edit(id: number, edit: Partial<Geometry> & { label?: string; grade?: string | null }): Promise<void> {
    const current = this.boxes.find((b) => b.id === id);
    if (!current) return Promise.resolve();
    // Only what the update channel takes (callers may pass a whole box row).
    const change = Object.fromEntries(
      (['x', 'y', 'width', 'height', 'label', 'grade'] as const).filter((key) => edit[key] !== undefined).map((key) => [key, edit[key]]),
    ) as Partial<Geometry> & { label?: string; grade?: string | null };
    this.replace({ ...current, ...change });
    const save = this.saving.then(async () => {
      const latest = this.boxes.find((b) => b.id === id);
      if (!latest) return;
      const answer = await this.api.invoke['annotations.update']({ id, revision: latest.revision, ...change, reader: this.who });
      if (answer.ok) {
        // Keep geometry edits made while this one was saving; take the saved revision.
        const now = this.boxes.find((b) => b.id === id);
        this.replace(now ? { ...answer.value.box, x: now.x, y: now.y, width: now.width, height: now.height } : answer.value.box);
      } else {
        this.fail('The change was not saved', answer.error);
        if (this.instanceId !== null) await this.load(this.instanceId);
      }
    });
    this.saving = save.catch(() => undefined);
    return save;
  }

  async remove(id: number): Promise<void> {
    await this.saving;
    const answer = await this.api.invoke['annotations.delete']({ id, reader: this.who });
    if (!answer.ok) return this.fail('The box was not deleted', answer.error);
    this.boxes = this.boxes.filter((b) => b.id !== id);
    if (this.selectedId === id) this.selectedId = null;
  }

  /** Saves every pending edit (tests and "generate" wait on this). */
  settled(): Promise<unknown> {
    return this.saving;
  }

  cycleGrade(id: number): Promise<void> {
    const box = this.boxes.find((b) => b.id === id);
    const grades = this.classList.classes.find((c) => c.name === box?.label)?.grades ?? [];
    if (!box || grades.length === 0) return Promise.resolve();
    const order = [null, ...grades];
    return this.edit(id, { grade: order[(order.indexOf(box.grade) + 1) % order.length] ?? null });
  }

  async setClassList(classList: ClassList): Promise<void> {
    const answer = await this.api.invoke['annotations.classes.set']({ classList, reader: this.who });
    if (!answer.ok) return this.fail('The class list was not saved', answer.error);
    this.classList = answer.value;
  }

  async generate(scope: 'instance' | 'all'): Promise<PatchSet | null> {
    if (!this.params) return null;
    await this.saving;
    this.generating = true;
    const answer = await this.api.invoke['annotations.generatePatches']({
      params: this.params,
      instanceIds: scope === 'instance' && this.instanceId !== null ? [this.instanceId] : undefined,
      reader: this.who,
    });
    this.generating = false;
    if (!answer.ok) {
      this.fail('No patches were made', answer.error);
      return null;
    }
    this.patchSet = answer.value;
    const c = answer.value.counts;
    this.notice = `Patch set ${answer.value.patchSetId} (${answer.value.recipe}): ${c.positive} positive, ${c.negative} negative, ${c.background} background patches from ${c.boxes} boxes on ${c.frames} frames${c.existing ? `; ${c.existing} existed already` : ''}. They are dataset items of their patients.`;
    return answer.value;
  }

  async exportBoxes(format: BoxFileFormat, scope: 'instance' | 'all'): Promise<{ name: string; text: string }[]> {
    await this.saving;
    const answer = await this.api.invoke['annotations.export']({ format, instanceIds: scope === 'instance' && this.instanceId !== null ? [this.instanceId] : undefined, reader: this.who });
    if (!answer.ok) {
      this.fail('The boxes were not exported', answer.error);
      return [];
    }
    return answer.value.files;
  }

  async importBoxes(format: BoxFileFormat, text: string, onFrame: number | null): Promise<number> {
    const target = onFrame !== null && this.instanceId !== null ? { instanceId: this.instanceId, frame: onFrame } : undefined;
    const answer = await this.api.invoke['annotations.import']({ format, text, target, reader: this.who });
    if (!answer.ok) {
      this.fail('The boxes were not imported', answer.error);
      return 0;
    }
    if (this.instanceId !== null) await this.load(this.instanceId);
    this.notice = `${answer.value.boxes.length} boxes imported.`;
    return answer.value.boxes.length;
  }

  async evaluate(modelPath: string, scope: 'instance' | 'all'): Promise<void> {
    this.evaluating = true;
    const answer = await this.api.invoke['annotations.evaluate']({ modelPath, instanceIds: scope === 'instance' && this.instanceId !== null ? [this.instanceId] : undefined });
    this.evaluating = false;
    if (!answer.ok) return this.fail('Full-frame evaluation failed', answer.error);
    this.evaluation = answer.value.score;
  }
}
