/**
 * A small JSON-schema (draft-07) checker for the keywords vega-lite's schema uses: $ref (local),
 * type, anyOf, enum, const, properties, additionalProperties, required, items, min/maxItems,
 * minimum/maximum, min/maxLength, minProperties (format is not checked). Returns the problems
 * found, empty when the value is valid.
 */
export type JsonSchema = boolean | { [keyword: string]: unknown };

function typeOk(value: unknown, type: string): boolean {
  switch (type) {
    case 'null': return value === null;
    case 'boolean': return typeof value === 'boolean';
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'integer': return Number.isInteger(value);
    case 'string': return typeof value === 'string';
    case 'array': return Array.isArray(value);
    case 'object': return value !== null && typeof value === 'object' && !Array.isArray(value);
    default: throw new Error(`schema type ${type} not supported by this checker`);
  }
}

const handled = new Set([
  '$ref', 'type', 'anyOf', 'enum', 'const', 'properties', 'additionalProperties', 'required', 'items', 'minItems',
  'maxItems', 'minimum', 'maximum', 'minLength', 'maxLength', 'minProperties', 'format', 'description',
  'markdownDescription', '$schema', 'definitions', 'default',
]);

export function validateJson(root: { definitions?: Record<string, JsonSchema> }, schema: JsonSchema, value: unknown, path = '$'): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${path}: not allowed`];
  for (const k of Object.keys(schema)) if (!handled.has(k)) throw new Error(`schema keyword ${k} not supported by this checker`);
  const s = schema as Record<string, unknown>;
  if (typeof s.$ref === 'string') {
    const name = s.$ref.replace('#/definitions/', '');
    const target = root.definitions?.[decodeURIComponent(name)];
    if (target === undefined) throw new Error(`unresolved $ref ${s.$ref}`);
    return validateJson(root, target, value, path);
  }
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    if (!types.some((t) => typeOk(value, t))) return [`${path}: expected ${types.join('|')}, got ${JSON.stringify(value)?.slice(0, 60)}`];
  }
  if (Array.isArray(s.anyOf)) {
    const branches = (s.anyOf as JsonSchema[]).map((b) => validateJson(root, b, value, path));
    if (branches.some((e) => e.length === 0)) return [];
    // report the branch that got furthest (its first problem has the longest path)
    const best = branches.sort((a, b) => b[0]!.length - a[0]!.length)[0]!;
    return [`${path}: matches none of ${branches.length} alternatives; nearest: ${best[0]}`];
  }
  const errors: string[] = [];
  if (Array.isArray(s.enum) && !s.enum.some((e) => e === value)) errors.push(`${path}: ${JSON.stringify(value)} not in enum`);
  if ('const' in s && s.const !== value) errors.push(`${path}: expected ${JSON.stringify(s.const)}`);
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum) errors.push(`${path}: below minimum ${s.minimum}`);
    if (typeof s.maximum === 'number' && value > s.maximum) errors.push(`${path}: above maximum ${s.maximum}`);
  }
  if (typeof value === 'string') {
    if (typeof s.minLength === 'number' && value.length < s.minLength) errors.push(`${path}: shorter than ${s.minLength}`);
    if (typeof s.maxLength === 'number' && value.length > s.maxLength) errors.push(`${path}: longer than ${s.maxLength}`);
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems) errors.push(`${path}: fewer than ${s.minItems} items`);
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) errors.push(`${path}: more than ${s.maxItems} items`);
    if (s.items !== undefined) value.forEach((v, i) => errors.push(...validateJson(root, s.items as JsonSchema, v, `${path}[${i}]`)));
  } else if (typeOk(value, 'object')) {
    const obj = value as Record<string, unknown>;
    const props = (s.properties ?? {}) as Record<string, JsonSchema>;
    for (const r of (s.required ?? []) as string[]) if (!(r in obj)) errors.push(`${path}: missing ${r}`);
    if (typeof s.minProperties === 'number' && Object.keys(obj).length < s.minProperties) errors.push(`${path}: too few properties`);
    for (const [k, v] of Object.entries(obj)) {
      if (k in props) errors.push(...validateJson(root, props[k]!, v, `${path}.${k}`));
      else if (s.additionalProperties === false) errors.push(`${path}: unknown property ${k}`);
      else if (s.additionalProperties !== undefined && s.additionalProperties !== true) {
        errors.push(...validateJson(root, s.additionalProperties as JsonSchema, v, `${path}.${k}`));
      }
    }
  }
  return errors;
}
