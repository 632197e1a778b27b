// The Network screen's settings side: the saved settings and the form's draft, the receiver's live status (from
// 'network.receiver' events), turning the receiver on and off, and C-ECHO checks with their answers.
import type { NetworkSettings, Pacs, ReceiverStatus } from '../../../src-preload/channels/network.ts';
import type { AngioApi } from '../lib/api.ts';
import { draftFrom, isDirty, patchFrom, type Problems, type SettingsDraft } from '../lib/network-form.ts';

export interface EchoAnswer {
  ok: boolean;
  text: string;
}

export class NetworkSettingsStore {
  private readonly api: AngioApi;
  saved = $state.raw<NetworkSettings | null>(null);
  draft = $state<SettingsDraft | null>(null);
  problems = $state<Problems>({});
  receiver = $state.raw<ReceiverStatus | null>(null);
  busy = $state(false);
  /** The last thing that went wrong or right, as a sentence with a way on. */
  notice = $state<{ tone: 'error' | 'ok'; message: string } | null>(null);
  /** Answers of echo checks by what was echoed ('pacs' or 'check'). */
  echoes = $state<Record<string, EchoAnswer | 'waiting'>>({});
  /** The ad-hoc echo target (a modality's own storage SCP, say), as typed. */
  check = $state({ aeTitle: '', host: '', port: '' });
  /** Bumped when a peer's Echo… fills the check, so the check's port field takes the focus. */
  checkRequested = $state(0);

  constructor(api: AngioApi) {
    this.api = api;
    this.api.on('network.receiver', (status) => (this.receiver = status));
  }

  get dirty(): boolean {
    return !!this.draft && !!this.saved && isDirty(this.draft, this.saved);
  }

  async load(): Promise<void> {
    const [settings, status] = await Promise.all([this.api.invoke['network.settings.get']({}), this.api.invoke['network.receiver.status']({})]);
    if (settings.ok) {
      this.saved = settings.value;
      // Unsaved edits survive leaving the screen and coming back.
      if (!this.draft || !this.dirty) this.draft = draftFrom(settings.value);
    } else this.fail(settings.error.message);
    if (status.ok) this.receiver = status.value;
  }

  private fail(message: string): void {
    this.notice = { tone: 'error', message };
  }

  async save(): Promise<boolean> {
    if (!this.draft) return false;
    const checked = patchFrom(this.draft);
    if (!checked.ok) {
      this.problems = checked.problems;
      this.fail('Some settings need correcting (marked above); nothing was saved.');
      return false;
    }
    this.problems = {};
    this.busy = true;
    const result = await this.api.invoke['network.settings.update'](checked.patch);
    this.busy = false;
    if (!result.ok) {
      this.fail(`${result.error.message} Nothing else was changed.`);
      return false;
    }
    this.saved = result.value;
    this.draft = draftFrom(result.value);
    this.notice = { tone: 'ok', message: 'Network settings saved.' };
    await this.refreshStatus();
    return true;
  }

  revert(): void {
    if (this.saved) this.draft = draftFrom(this.saved);
    this.problems = {};
    this.notice = null;
  }

  addPeer(): void {
    this.draft?.peers.push({ aeTitle: '', host: '', description: '' });
  }

  removePeer(index: number): void {
    this.draft?.peers.splice(index, 1);
    this.problems = {};
  }

  /** Adds a peer whose association was refused to the allowed list and saves at once (other edits stay unsaved). */
  async allowPeer(aeTitle: string, host: string | null): Promise<void> {
    if (!this.saved) return;
    const peer = { aeTitle, host, description: 'Added after a refused association' };
    const result = await this.api.invoke['network.settings.update']({ allowedPeers: [...this.saved.allowedPeers, peer] });
    if (!result.ok) return this.fail(result.error.message);
    this.saved = result.value;
    this.draft?.peers.push({ aeTitle, host: host ?? '', description: peer.description });
    this.notice = { tone: 'ok', message: `${aeTitle} may now send to this workstation${host ? ` from ${host}` : ''}.` };
  }

  private async refreshStatus(): Promise<void> {
    const status = await this.api.invoke['network.receiver.status']({});
    if (status.ok) this.receiver = status.value;
  }

  /** Turns the receiver on or off; it listens with the saved settings, so unsaved edits are saved first. */
  async setReceiver(on: boolean): Promise<void> {
    if (this.busy) return;
    if (on && this.dirty && !(await this.save())) return;
    this.busy = true;
    const result = on ? await this.api.invoke['network.receiver.start']({}) : await this.api.invoke['network.receiver.stop']({});
    this.busy = false;
    if (!result.ok) {
      this.fail(`The receiver could not start: ${result.error.message}`);
      await this.refreshStatus();
      return;
    }
    this.receiver = result.value;
    this.notice = null;
    const settings = await this.api.invoke['network.settings.get']({});
    if (settings.ok) this.saved = settings.value;
  }

  async echo(key: string, target: { pacs: true } | Pacs): Promise<void> {
    this.echoes[key] = 'waiting';
    const result = await this.api.invoke['network.echo'](target);
    this.echoes[key] = result.ok
      ? { ok: true, text: `Answered C-ECHO in ${Math.round(result.value.milliseconds)} ms.` }
      : { ok: false, text: result.error.message };
  }

  /** Fills the ad-hoc echo form from an allowed peer (its port is not stored: peers call us, we do not call them). */
  prefillCheck(aeTitle: string, host: string): void {
    this.check = { aeTitle, host, port: this.check.port };
    this.checkRequested++;
  }
}
