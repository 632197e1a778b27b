// `angio <command>`: the app's jobs without a window, on the same services (import, predict, report). One verb per
// job, --json for machines and plain lines for people, failures as one {code, message} JSON line on stderr. Nothing
// here prompts, so it runs the same from a script, a pipe or a terminal. Launched by bin/angio.js with Node 24.
// Each command's module is loaded only when it runs, so help and predict do not load the library's services.
import { printFailure, UsageError } from './angio-output.ts';
import { CALIBRATE_USAGE, EVALUATE_SHIFTS_USAGE, EVALUATE_TTA_USAGE, IMPORT_USAGE, PREDICT_USAGE, QCA_USAGE, REPORT_USAGE, TRAIN_USAGE, USAGE } from './angio-usage.ts';

const COMMANDS: Record<string, { usage: string; run: (args: string[]) => Promise<void> }> = {
  import: { usage: IMPORT_USAGE, run: async (args) => (await import('./angio-import.ts')).importCommand(args) },
  predict: { usage: PREDICT_USAGE, run: async (args) => (await import('./angio-predict.ts')).predictCommand(args) },
  report: { usage: REPORT_USAGE, run: async (args) => (await import('./angio-report.ts')).reportCommand(args) },
  qca: { usage: QCA_USAGE, run: async (args) => (await import('./angio-qca.ts')).qcaCommand(args) },
  train: { usage: TRAIN_USAGE, run: async (args) => (await import('./angio-train.ts')).trainCommand(args) },
  calibrate: { usage: CALIBRATE_USAGE, run: async (args) => (await import('./angio-model-checks.ts')).calibrateCommand(args) },
  'evaluate-shifts': { usage: EVALUATE_SHIFTS_USAGE, run: async (args) => (await import('./angio-model-checks.ts')).evaluateShiftsCommand(args) },
  'evaluate-tta': { usage: EVALUATE_TTA_USAGE, run: async (args) => (await import('./angio-evaluate-tta.ts')).evaluateTtaCommand(args) },
};

async function main([name, ...args]: string[]): Promise<void> {
  if (name === undefined) throw new UsageError('command-missing', 'Name a command: import, predict, report, train, qca, calibrate, evaluate-shifts or evaluate-tta. Run `angio --help` for usage.');
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) throw new UsageError('unknown-command', `"${name}" is not an angio command; the commands are import, predict, report, train, qca, calibrate, evaluate-shifts and evaluate-tta. Run \`angio --help\` for usage.`);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${command.usage}\n`);
    return;
  }
  await command.run(args);
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  process.exitCode = printFailure(error);
}
