import type { Middleware } from 'koa';
import type { ZodType } from 'zod';
import { validationFailed } from '../errors';

export interface InputSchemas {
  body?: ZodType;
  query?: ZodType;
  params?: ZodType;
}

/**
 * Parses the request's body, query and path params with zod; the parsed values (with defaults
 * and coercions applied) land in ctx.state.input. Handlers read only from there.
 */
export function validate(schemas: InputSchemas): Middleware {
  return async (ctx, next) => {
    const sources = { body: ctx.request.body ?? {}, query: ctx.query, params: ctx.params ?? {} } as const;
    const input: Record<string, unknown> = {};
    const issues: Array<{ in: string; path: string; message: string }> = [];
    for (const where of ['params', 'query', 'body'] as const) {
      const schema = schemas[where];
      if (!schema) continue;
      const result = schema.safeParse(sources[where]);
      if (result.success) input[where] = result.data;
      else for (const i of result.error.issues) issues.push({ in: where, path: i.path.join('.'), message: i.message });
    }
    if (issues.length) throw validationFailed(issues);
    ctx.state.input = input;
    await next();
  };
}
