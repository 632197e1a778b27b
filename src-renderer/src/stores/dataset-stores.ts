// One instance of each dataset-workflow store for the session (made on first use, after window.angio exists), so
// the reader, the grid's filter and a running training survive moving between screens.
import { CurationStore } from './curation.svelte.ts';
import { ReadersStore } from './readers.svelte.ts';
import { ResultsStore } from './results.svelte.ts';
import { SplitsStore } from './splits.svelte.ts';
import { TrainingStore } from './training.svelte.ts';

let readers: ReadersStore | undefined;
let curation: CurationStore | undefined;
let splits: SplitsStore | undefined;
let training: TrainingStore | undefined;
let results: ResultsStore | undefined;

export const readersStore = (): ReadersStore => (readers ??= new ReadersStore());
export const curationStore = (): CurationStore => (curation ??= new CurationStore(readersStore()));
export const splitsStore = (): SplitsStore => (splits ??= new SplitsStore(readersStore()));
export const trainingStore = (): TrainingStore => (training ??= new TrainingStore());
export const resultsStore = (): ResultsStore => (results ??= new ResultsStore());
