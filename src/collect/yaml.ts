/**
 * The parts of the `yaml` package file.ts uses, as one ESM module that file.ts imports on first
 * use (JSON dumps, the demo's JSON and `--version` never load the parser).
 *
 * Why a module of its own and not `await import('yaml')`: `yaml` is CommonJS under Node, and a
 * bundler's split chunk for a dynamically imported CommonJS package exposes only its `default`
 * export; a static import here gets the named exports in both the bundle and the sources.
 */
export { isMap, isSeq, parseAllDocuments, parseDocument } from 'yaml';
