// How production runs the server process: the same settings in the Dockerfile, `npm start`, `npm run serve`, the
// bench and the two-instance test (tests/production-runtime.test.ts keeps them in step). The npm scripts carry the
// node flags only, so they run in any shell (Windows' included); the C-library setting is the Dockerfile's, and a
// Linux host that runs `npm run serve` itself should export it too.
//
// Memory, measured with `npm run bench` on the PostgreSQL server (docs/performance.md): under load V8 lets the old
// generation fill with garbage before a full collection (the live heap after one is ~60 MB), and glibc keeps one
// malloc arena per thread that touched memory (V8's compiler and GC helpers, the libuv pool), most of it freed but
// never returned. With the old generation capped at 192 MB and two arenas, the resident set at the end of the bench
// went from ~490 MB to ~260 MB, for about 8% fewer signed-in requests per second (more frequent collections); a cap
// of 128 MB gave ~270 MB peak and 13% fewer. The young generation's semi-spaces are set at 16 MB: 8 MB took
// 15–35 MB off the end of the bench with requests per second within the spread on 2026-12-02, but once WebAssembly
// was compiled by the baseline compiler only (below) the memory was there to spend, and in ten interleaved runs on
// 2026-12-04 16 MB gave 5–28% more signed-in requests per second than 8 MB (fewer objects still in flight promoted
// to the old generation) for 15–20 MB more resident; 32 MB gave about as much again as 16 for another 30 MB.
// Give an instance with more memory larger caps here.
//
// glibc also raises its mmap threshold after the first large block is freed (compression state, request buffers),
// so later large blocks come from the main heap and stay resident after they are freed: 38–57 MB of it at the end
// of a run. A fixed threshold of 128 KB sends them to mmap and back to the system when freed: 13–34 MB less at the
// end of interleaved runs (4 of 4), requests per second within the run-to-run spread.

/** Flags for `node` itself (V8 reads them before the heap exists, so they cannot be set from inside the process). */
export const PRODUCTION_NODE_FLAGS = ["--max-old-space-size=192", "--max-semi-space-size=16"];

/** Environment read by the C library (glibc) before the process starts: Linux only, set by the Dockerfile. */
export const PRODUCTION_ENV = { MALLOC_ARENA_MAX: "2", MALLOC_MMAP_THRESHOLD_: "131072" };

// WebAssembly on a PostgreSQL server: the only module is Prisma's query compiler (3.3 MB), which V8 compiles once
// with its baseline compiler (Liftoff) and again, on helper threads, with its optimising one as its functions get
// hot. That pass mallocs 50–90 MB of compiler memory soon after start (~70 MB on Node 20, ~87 MB on Node 22), and
// glibc keeps it resident in its arenas after it is freed, for the process's life. Liftoff alone: resident set
// 182 → 137 MB at start and 225 → 191 MB at the end of the bench's pages, signed-in requests per second within the
// run-to-run spread (the compiler plans a query in microseconds either way). On embedded PGlite, PostgreSQL itself
// runs as WebAssembly and its hot loops need the optimising compiler (11–16% fewer signed-in requests per second
// with Liftoff alone), so there the flag is not set. Set from inside the process because the database is known only
// once the configuration is read; V8 reads it when it compiles a module, after start (tests/production-runtime.test.ts
// checks the effect on the real build and binary).

/** V8 flags the server sets on itself (`v8.setFlagsFromString`) before anything compiles WebAssembly. */
export function runtimeV8Flags({ databaseServer }) {
  return databaseServer ? ["--liftoff-only"] : [];
}
