import { z, type ZodType } from 'zod';
import { version } from '../../../../package.json';
import type { RouteDef } from '../route';

const jsonSchema = (schema: ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, any>;

/** OpenAPI 3.1 for every route in the table, from the same zod schemas that validate requests. */
export function openApiDocument(routes: readonly RouteDef[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:(\w+)/g, '{$1}');
    const parameters = [...parametersOf(r.params, 'path'), ...parametersOf(r.query, 'query')];
    const operation: Record<string, unknown> = {
      summary: r.summary,
      security: r.access === 'anyone' ? [] : [{ bearer: [] }, ...(r.access.includes('verifier') ? [{ apiKey: [] }] : [])],
      'x-roles': r.access === 'anyone' ? 'anyone' : r.access,
      parameters,
      responses: { default: { description: '成功时见各接口；失败时为 { error: { code, message, details? } }' } },
    };
    if (r.rawBody) {
      operation.requestBody = { required: true, content: { [r.rawBody.mediaType]: { schema: r.body ? jsonSchema(r.body) : { type: 'string' } } } };
    } else if (r.body) {
      operation.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(r.body) } } };
    }
    (paths[path] ??= {})[r.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: { title: '诚信计量公示 API', version },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
      },
    },
    paths,
  };
}

function parametersOf(schema: ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const s = jsonSchema(schema);
  const required = new Set<string>(s.required ?? []);
  return Object.entries<Record<string, unknown>>(s.properties ?? {}).map(([name, prop]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: prop,
  }));
}
