import Ajv, { type ErrorObject } from 'ajv';
import { ConfigError } from './config-error';

const ajv = new Ajv({ allErrors: false, strict: false, useDefaults: true });
const compiled = new WeakMap<object, ReturnType<typeof ajv.compile>>();

/** Checks `value` against a JSON schema; throws a ConfigError naming the field at `path`. */
export function validateAgainstSchema(schema: object, value: unknown, path: string, source: string): void {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(value)) return;
  const error = validate.errors![0]!;
  const field = fieldOf(path, error);
  throw new ConfigError(`${source}: ${field} ${describe(error)}`, field);
}

function fieldOf(path: string, error: ErrorObject): string {
  const pointer = error.instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.');
  let field = [path, pointer].filter(Boolean).join('.');
  if (error.keyword === 'additionalProperties') {
    field = [field, String(error.params.additionalProperty)].filter(Boolean).join('.');
  }
  if (error.keyword === 'required') {
    field = [field, String(error.params.missingProperty)].filter(Boolean).join('.');
  }
  return field || '(root)';
}

function describe(error: ErrorObject): string {
  switch (error.keyword) {
    case 'additionalProperties':
      return 'is not a known setting';
    case 'required':
      return 'is required';
    case 'enum':
      return `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return error.message ?? 'is invalid';
  }
}
