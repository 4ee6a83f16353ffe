// Validates the CLI's real `--json` outputs against the published JSON Schemas (schemas/v1): every test that reads a
// `--json` document (unit or sandbox) passes it through here, so a field renamed or added without its schema fails.
// ajv (devDependency): the reference JSON Schema validator for JavaScript, draft 2020-12 (unevaluatedProperties,
// if/then), kept by the JSON Schema community; ajv-formats adds date-time. Only the tests use them.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

export const SCHEMA_DIR = path.join(__dirname, '..', 'schemas', 'v1');

let ajv: Ajv2020 | undefined;
function validator(): Ajv2020 {
  if (ajv) return ajv;
  // strictRequired off: a oneOf branch may require a property the parent schema defines (EtcdSnapshot's result).
  ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
  addFormats(ajv);
  for (const file of fs.readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.schema.json'))) ajv.addSchema(JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, file), 'utf8')) as object, file);
  return ajv;
}

/** The kinds that have a schema (file names without .schema.json, less the shared ones). */
export function schemaKinds(): string[] {
  return fs.readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.schema.json')).map((f) => f.replace('.schema.json', '')).filter((k) => k !== 'common' && k !== 'output');
}

/** Asserts `doc` is a kubeadm-upgrade/v1 document valid against its kind's schema and against output.schema.json. */
export function assertValidOutput(doc: unknown, expectedKind?: string): void {
  const d = doc as { apiVersion?: unknown; kind?: unknown };
  assert.ok(d && typeof d === 'object' && !Array.isArray(d), `not a JSON object: ${JSON.stringify(doc)?.slice(0, 200)}`);
  assert.equal(d.apiVersion, 'kubeadm-upgrade/v1', `apiVersion of ${JSON.stringify(doc).slice(0, 200)}`);
  if (expectedKind) assert.equal(d.kind, expectedKind);
  assert.ok(typeof d.kind === 'string' && schemaKinds().includes(d.kind), `kind ${String(d.kind)} has no schema in schemas/v1`);
  for (const id of [`${d.kind}.schema.json`, 'output.schema.json']) {
    const validate = validator().getSchema(id)!;
    assert.ok(validate(doc), `${id}: ${validator().errorsText(validate.errors, { separator: '\n' })}\nin ${JSON.stringify(doc).slice(0, 2000)}`);
  }
}

/** The same for `--json` stdout: one document (pretty-printed) or NDJSON lines; returns the parsed documents. */
export function assertValidJsonOutput(stdout: string, expectedKind?: string): Record<string, unknown>[] {
  const text = stdout.trim();
  let docs: Record<string, unknown>[];
  try {
    docs = [JSON.parse(text) as Record<string, unknown>];
  } catch {
    docs = text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>);
  }
  assert.ok(docs.length > 0, 'no JSON on stdout');
  for (const doc of docs) assertValidOutput(doc, expectedKind);
  return docs;
}
