// The processors that receive personal data (GDPR Art. 28, 30(1)(d)-(e); privacy promise P28: only these named
// providers, each listed publicly). They are part of the data map: one `/// @processor` line each in
// prisma/schema.prisma, and the fields each one receives are marked `processors=<key>` on their `/// @pd` line.
// `npm run datamap` generates them into core/privacy/datamap.generated.ts (`-- --check` fails when that file no
// longer matches the schema); the /privacy/processors page and the policy's section 4.1 are rendered from here.
import type { MapProcessor } from "./datamap.ts";
import { PROCESSOR_MAP } from "./datamap.generated.ts";

export type Processor = MapProcessor;

export const PROCESSORS: readonly Processor[] = PROCESSOR_MAP;
