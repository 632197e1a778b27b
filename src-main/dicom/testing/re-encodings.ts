// Every transfer syntax dcmtk's and gdcm's command-line encoders write, as recipes that re-encode an uncompressed
// file at test time, so the decoders meet streams from two independent encoders and not only the shared corpus.
import { existsSync } from 'node:fs';
import { requireTool, runOracle } from '../../testing/oracle-tool.ts';
import { cachedAttempt } from '../../testing/tool-cache.ts';
import { runPython } from '../../testing/python-oracle.ts';

export interface Recipe {
  /** The command as a person would type it, shown in the coverage table. */
  name: string;
  tool: string;
  args: (input: string, output: string) => string[];
  /** The transfer syntax the tool is asked for. */
  uid: string;
  lossy: boolean;
}

const dcmtk = (tool: string, options: string[], uid: string, lossy = false): Recipe => ({
  name: [tool, ...options].join(' '),
  tool,
  args: (i, o) => [...options, i, o],
  uid,
  lossy,
});

const gdcm = (options: string[], uid: string, lossy = false): Recipe => ({
  name: ['gdcmconv', ...options].join(' '),
  tool: 'gdcmconv',
  args: (i, o) => [...options, i, o],
  uid,
  lossy,
});

export const RE_ENCODINGS: readonly Recipe[] = [
  dcmtk('dcmconv', ['+te'], '1.2.840.10008.1.2.1'),
  dcmtk('dcmconv', ['+tb'], '1.2.840.10008.1.2.2'),
  dcmtk('dcmconv', ['+ti'], '1.2.840.10008.1.2'),
  dcmtk('dcmconv', ['+td'], '1.2.840.10008.1.2.1.99'),
  dcmtk('dcmcjpeg', ['+e1'], '1.2.840.10008.1.2.4.70'),
  dcmtk('dcmcjpeg', ['+el'], '1.2.840.10008.1.2.4.57'),
  dcmtk('dcmcjpeg', ['+eb'], '1.2.840.10008.1.2.4.50', true),
  dcmtk('dcmcjpeg', ['+ee'], '1.2.840.10008.1.2.4.51', true),
  // Colour kept as RGB in the JPEG stream (an Adobe marker says so) rather than converted to YCbCr.
  dcmtk('dcmcjpeg', ['+eb', '+cr'], '1.2.840.10008.1.2.4.50', true),
  // Spectral selection and progressive JPEG are retired syntaxes (PS3.5 2006) that dcmtk still writes and reads.
  dcmtk('dcmcjpeg', ['+es'], '1.2.840.10008.1.2.4.53', true),
  dcmtk('dcmcjpeg', ['+ep'], '1.2.840.10008.1.2.4.55', true),
  dcmtk('dcmcjpls', ['+el'], '1.2.840.10008.1.2.4.80'),
  dcmtk('dcmcjpls', ['+en'], '1.2.840.10008.1.2.4.81', true),
  dcmtk('dcmcrle', [], '1.2.840.10008.1.2.5'),
  gdcm(['--j2k'], '1.2.840.10008.1.2.4.90'),
  gdcm(['--j2k', '--lossy', '-q', '40'], '1.2.840.10008.1.2.4.91', true),
  gdcm(['--jpeg'], '1.2.840.10008.1.2.4.70'),
  gdcm(['--jpeg', '--lossy', '-q', '90'], '1.2.840.10008.1.2.4.50', true),
  gdcm(['--jpegls'], '1.2.840.10008.1.2.4.80'),
  gdcm(['--jpegls', '--lossy', '-e', '2'], '1.2.840.10008.1.2.4.81', true),
  gdcm(['--rle'], '1.2.840.10008.1.2.5'),
  gdcm(['--deflated'], '1.2.840.10008.1.2.1.99'),
];

/** Fails (through the oracle tool rule) when an encoder is missing: a missing encoder must never shrink the corpus. */
export function requireEncoders(): void {
  for (const tool of new Set(RE_ENCODINGS.map((r) => r.tool))) requireTool(tool);
}

const ANY_STATUS = Array.from({ length: 256 }, (_, status) => status);

/** Re-encodes `input` into `output`; a tool that declines the file (non-zero exit, no output) is a refusal, with its words. */
export function reEncode(recipe: Recipe, input: string, output: string): { refused: string } | null {
  // The cache keeps the words without this run's paths, which the tools name in them.
  const refused = cachedAttempt({ tool: recipe.tool, options: [recipe.name], inputs: [input] }, output, () => encode(recipe, input, output)?.replaceAll(input, INPUT_PATH).replaceAll(output, OUTPUT_PATH) ?? null);
  return refused === null ? null : { refused: refused.replaceAll(INPUT_PATH, input).replaceAll(OUTPUT_PATH, output).slice(0, 120) };
}

const INPUT_PATH = '\u0000input';
const OUTPUT_PATH = '\u0000output';

/** Null when the tool wrote `output`, else the first line in which it says why not. */
function encode(recipe: Recipe, input: string, output: string): string | null {
  const run = runOracle(recipe.tool, recipe.args(input, output), { subject: input, acceptStatuses: ANY_STATUS, timeoutMs: 300_000 });
  if (run.status === 0 && existsSync(output)) return null;
  const said = `${run.stderr}\n${run.stdout}`
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^[EFW]:|error|cannot|could not|impossible|unsupported|not supported|do not support/i.test(line) && !/^Error: In \.\//.test(line));
  return said[0] ?? `exit ${run.status}`;
}

/** A copy of uncompressed `input` holding only `frames` (pydicom), so long runs are re-encoded at a few frames' cost. */
export function frameSubset(input: string, frames: readonly number[], output: string): void {
  runPython(
    `
import json, sys, pydicom
a = json.load(sys.stdin)
ds = pydicom.dcmread(a['input'])
size = len(ds.PixelData) // int(ds.NumberOfFrames)
ds.PixelData = b''.join(ds.PixelData[i * size:(i + 1) * size] for i in a['frames'])
ds.NumberOfFrames = len(a['frames'])
if 'FrameTimeVector' in ds: del ds.FrameTimeVector
ds.save_as(a['output'])
print('1')
`,
    { input, frames, output },
  );
}
