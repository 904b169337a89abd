// Types of scripts/production-runtime.mjs (plain JavaScript so node can read it without a build step).
export declare const PRODUCTION_NODE_FLAGS: readonly string[];
export declare const PRODUCTION_ENV: Readonly<Record<string, string>>;
export declare function runtimeV8Flags(opts: { databaseServer: boolean }): string[];
