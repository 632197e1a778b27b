// Study queries to the configured PACS and retrieving what the user picks: the form, matches streamed as
// 'network.queryMatch' events while the C-FIND runs (the job's result then gives the full list), and the retrieve
// job with its progress and cancel.
import type { StudyMatch } from '../../../src-preload/channels/network.ts';
import type { AngioApi } from '../lib/api.ts';
import { emptyQuery, queryFrom, type QueryForm } from '../lib/network-form.ts';
import { JobWatch } from './job-watch.svelte.ts';

export class PacsQueryStore {
  private readonly api: AngioApi;
  form = $state<QueryForm>({ ...emptyQuery });
  matches = $state.raw<StudyMatch[]>([]);
  picked = $state.raw<ReadonlySet<string>>(new Set());
  readonly query: JobWatch<'network.query'>;
  readonly retrieve: JobWatch<'network.retrieve'>;
  /** Matches that arrived before the query's job id was known. */
  private early: { jobId: string; study: StudyMatch }[] = [];

  constructor(api: AngioApi) {
    this.api = api;
    this.query = new JobWatch(api, 'network.query');
    this.retrieve = new JobWatch(api, 'network.retrieve');
    this.api.on('network.queryMatch', ({ jobId, study }) => {
      if (this.query.status === 'starting') this.early.push({ jobId, study });
      else if (jobId === this.query.jobId) this.add(study);
    });
    this.query.onFinished = (status, result) => {
      if (status === 'succeeded' && result) this.matches = result.studies;
    };
  }

  private add(study: StudyMatch): void {
    if (!this.matches.some((m) => m.studyInstanceUid === study.studyInstanceUid)) this.matches = [...this.matches, study];
  }

  set onRetrieved(callback: () => void) {
    this.retrieve.onFinished = () => callback();
  }

  async search(): Promise<void> {
    this.matches = [];
    this.picked = new Set();
    this.early = [];
    const query = queryFrom(this.form);
    await this.query.start(() => this.api.invoke['network.query.start'](query));
    for (const { jobId, study } of this.early.splice(0)) if (jobId === this.query.jobId) this.add(study);
  }

  clear(): void {
    this.form = { ...emptyQuery };
  }

  pick(uid: string): void {
    const next = new Set(this.picked);
    if (!next.delete(uid)) next.add(uid);
    this.picked = next;
  }

  pickAll(on: boolean): void {
    this.picked = new Set(on ? this.matches.map((m) => m.studyInstanceUid) : []);
  }

  async retrievePicked(method: 'move' | 'get'): Promise<void> {
    const uids = this.matches.map((m) => m.studyInstanceUid).filter((uid) => this.picked.has(uid));
    if (uids.length === 0) return;
    await this.retrieve.start(() => this.api.invoke['network.retrieve.start']({ studyInstanceUids: uids, method }));
  }
}
