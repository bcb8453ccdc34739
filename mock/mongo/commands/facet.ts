/**
 * `$facet`, run here rather than by mingo so that each sub-pipeline runs through the same stage
 * runner as a top-level pipeline: a `$lookup` inside a facet joins exactly as outside it (mingo's
 * own `$lookup` ignored localField/foreignField when a pipeline came with them), and `$sort`
 * keeps MongoDB's type order. Parse errors are mongod's (document_source_facet.cpp).
 */
import type { Document } from 'bson';
import { MongoCommandError } from '../errors';
import { isPlainObject } from './variables';

/** Runs one sub-pipeline over the facet's input (the caller's stage runner). */
export type FacetRunner = (docs: Document[], pipeline: Document[]) => Document[];

/** Stages whose constraints forbid them inside `$facet` (FacetRequirement::kNotAllowed), among those a client could send here. */
const NOT_ALLOWED_IN_FACET = new Set([
  '$facet', '$geoNear', '$out', '$merge', '$collStats', '$indexStats', '$planCacheStats', '$changeStream', '$currentOp',
  '$listSessions', '$listLocalSessions', '$search', '$searchMeta',
]);

function typeName(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'double';
  if (typeof value === 'boolean') return 'bool';
  return 'object';
}

function validateFacetName(name: string): void {
  if (name === '') throw new MongoCommandError(15998, 'FieldPath field names may not be empty strings.');
  if (name.startsWith('$')) throw new MongoCommandError(16410, `FieldPath field names may not start with '$'. Consider using $getField or $setField.`);
  if (name.includes('\0')) throw new MongoCommandError(16411, 'FieldPath field names may not contain \'\\0\'.');
  if (name.includes('.')) throw new MongoCommandError(16412, "FieldPath field names may not contain '.'.");
}

/** The facets of a `$facet` spec, validated as mongod parses them. */
function parseFacets(spec: unknown): Array<[string, Document[]]> {
  if (!isPlainObject(spec) || Object.keys(spec).length === 0) {
    throw new MongoCommandError(40169, 'the $facet specification must be a non-empty object');
  }
  return Object.entries(spec).map(([name, pipeline]) => {
    validateFacetName(name);
    if (!Array.isArray(pipeline)) throw new MongoCommandError(40170, `arguments to $facet must be arrays, ${name} is type ${typeName(pipeline)}`);
    for (const stage of pipeline) {
      if (!isPlainObject(stage)) {
        throw new MongoCommandError(40171, `elements of arrays in $facet spec must be non-empty objects, ${name} argument contained an element of type ${typeName(stage)}`);
      }
      const stageName = Object.keys(stage)[0];
      if (NOT_ALLOWED_IN_FACET.has(stageName)) throw new MongoCommandError(40600, `${stageName} is not allowed to be used within a $facet stage`);
    }
    return [name, pipeline as Document[]];
  });
}

/** One output document, each facet's results under its name; also when the input is empty. */
export function facetStage(docs: Document[], spec: unknown, run: FacetRunner): Document {
  const facets = parseFacets(spec);
  return Object.fromEntries(facets.map(([name, pipeline]) => [name, run(docs, pipeline)]));
}
