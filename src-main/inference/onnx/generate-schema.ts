// Regenerates onnx-schema.json (a protobufjs JSON descriptor) from onnx.proto, the ONNX 1.12 schema (Apache-2.0).
// The app loads the JSON, so neither the .proto file nor Debian's python is needed at run time.
// Usage: node src-main/inference/onnx/generate-schema.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

export const PROTO_PATH = fileURLToPath(new URL('./onnx.proto', import.meta.url));
export const SCHEMA_PATH = fileURLToPath(new URL('./onnx-schema.json', import.meta.url));

/** The descriptor as written to onnx-schema.json, its licence notice first. */
export function schemaDescriptor(): object {
  const { root } = protobuf.parse(readFileSync(PROTO_PATH, 'utf8'), { keepCase: true });
  return {
    notice: 'Generated from onnx.proto (ONNX 1.12, SPDX-License-Identifier: Apache-2.0) by generate-schema.ts; do not edit.',
    root: root.toJSON(),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(SCHEMA_PATH, JSON.stringify(schemaDescriptor(), null, 1) + '\n');
  console.log(`wrote ${SCHEMA_PATH}`);
}
