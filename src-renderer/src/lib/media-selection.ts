// What the user ticked in a medium's patient → study → series → image tree. The selection is kept as a set of
// instance keys (the leaves), so a parent's tick is read from its images; the request sent to main names the
// highest fully ticked records, which keeps it short for a disc with thousands of images.
import type { MediaContents, MediaImportResult, MediaInstance, MediaPatient, MediaSelection, MediaSeries, MediaStudy } from '../../../src-preload/channels/network.ts';
import { plural } from './words.ts';

export type MediaNode = MediaPatient | MediaStudy | MediaSeries;
export type Tick = 'all' | 'some' | 'none';

function children(node: MediaNode): MediaNode[] | null {
  if ('studies' in node) return node.studies;
  if ('series' in node) return node.series;
  return null;
}

export function instancesOf(node: MediaNode): MediaInstance[] {
  const below = children(node);
  return below ? below.flatMap(instancesOf) : (node as MediaSeries).instances;
}

export function allInstances(contents: MediaContents): MediaInstance[] {
  return contents.patients.flatMap(instancesOf);
}

export function tickOf(instances: readonly MediaInstance[], selected: ReadonlySet<string>): Tick {
  const ticked = instances.filter((i) => selected.has(i.key)).length;
  return ticked === 0 ? 'none' : ticked === instances.length ? 'all' : 'some';
}

/** Ticks every image under the node, or unticks them all when every one was ticked already. */
export function toggleInstances(instances: readonly MediaInstance[], selected: ReadonlySet<string>): Set<string> {
  const next = new Set(selected);
  const untick = tickOf(instances, selected) === 'all';
  for (const instance of instances) {
    if (untick) next.delete(instance.key);
    else next.add(instance.key);
  }
  return next;
}

/** The keys of the highest records whose images are all ticked (a ticked study stands for its series and images). */
function coveringKeys(nodes: readonly (MediaNode | MediaInstance)[], selected: ReadonlySet<string>): string[] {
  return nodes.flatMap((node) => {
    if ('fileId' in node) return selected.has(node.key) ? [node.key] : [];
    const tick = tickOf(instancesOf(node), selected);
    if (tick === 'all') return [node.key];
    if (tick === 'none') return [];
    return coveringKeys(children(node) ?? (node as MediaSeries).instances, selected);
  });
}

/** The media.import selection for the ticks: everything, some records, or null when nothing is ticked. */
export function selectionRequest(contents: MediaContents, selected: ReadonlySet<string>): MediaSelection | null {
  const tick = tickOf(allInstances(contents), selected);
  if (tick === 'none') return null;
  if (tick === 'all') return { all: true };
  return { keys: coveringKeys(contents.patients, selected) };
}

export interface SelectionCounts {
  images: number;
  missing: number;
}

/** How many ticked images there are and how many of them the DICOMDIR names but the media lacks. */
export function selectionCounts(contents: MediaContents, selected: ReadonlySet<string>): SelectionCounts {
  const ticked = allInstances(contents).filter((i) => selected.has(i.key));
  return { images: ticked.length, missing: ticked.filter((i) => i.path === null).length };
}

/** "2 patients · 3 studies · 3 series · 9 images" for a node or the whole medium. */
export function contentsSummary(patients: readonly MediaPatient[]): string {
  const studies = patients.flatMap((p) => p.studies);
  const series = studies.flatMap((s) => s.series);
  const images = series.reduce((n, s) => n + s.instances.length, 0);
  return [plural(patients.length, 'patient'), plural(studies.length, 'study', 'studies'), plural(series.length, 'series', 'series'), plural(images, 'image')].join(' · ');
}

export interface MediaJobView {
  status: 'idle' | 'starting' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  done: number;
  total: number;
  error: string | null;
  result: MediaImportResult | null;
}

/** The line under the disc import's progress bar: where it is, or how it ended and what to do next. */
export function mediaImportSummary(job: MediaJobView): string {
  switch (job.status) {
    case 'idle':
      return '';
    case 'starting':
      return 'Starting the import…';
    case 'running':
      return job.total > 0 ? `${job.done} of ${plural(job.total, 'image')}` : 'Reading the disc…';
    case 'cancelled':
      return `Import cancelled after ${job.done} of ${plural(job.total, 'image')}. What was imported stays; import again to finish (images already in the library are skipped).`;
    case 'failed':
      return `The import stopped: ${job.error ?? 'unknown error'} Check that the disc is still in the drive, then import again.`;
    case 'succeeded': {
      const r = job.result;
      if (!r) return 'Import finished.';
      const parts = [`${r.imported} imported`];
      if (r.duplicates > 0) parts.push(`${r.duplicates} already in the library`);
      if (r.problems.length > 0) parts.push(`${r.problems.length} could not be imported (listed below)`);
      return `${parts.join(', ')}.`;
    }
  }
}
