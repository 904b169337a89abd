// How production runs the server process: the same settings in the Dockerfile, `npm start`, `npm run serve`, the
// bench and the two-instance test (tests/production-runtime.test.ts keeps them in step).
//
// Memory, measured with `npm run bench` on the PostgreSQL server (docs/performance.md): under load V8 lets the old
// generation fill with ~150 MB of garbage before a full collection (the live heap after one is ~60 MB), and glibc
// keeps one malloc arena per thread that touched memory (V8's compiler and GC helpers, the libuv pool), most of it
// freed but never returned. Capping the old generation at 128 MB and the arenas at two brought the resident set at
// the end of the bench from ~480 MB to ~235 MB at no measurable cost in requests per second. Give an instance with
// more memory a larger cap here.

/** Flags for `node` itself (V8 reads them before the heap exists, so they cannot be set from inside the process). */
export const PRODUCTION_NODE_FLAGS = ["--max-old-space-size=128"];

/** Environment read by the C library before the process starts. */
export const PRODUCTION_ENV = { MALLOC_ARENA_MAX: "2" };
