// `npm run db:seed`: adds the demo data and its story to an empty database (the server also does this at start).
import { openDatabase } from "../core/platform/db/client.ts";
import { config } from "../core/platform/env/index.ts";
import { isEmpty, seedDemoDatabase } from "../prisma/seed.ts";

const db = await openDatabase(config().database);
try {
  await db.migrate();
  if (await isEmpty(db.prisma)) {
    await seedDemoDatabase(db.prisma);
  } else {
    console.log("The database already holds data: nothing seeded.");
  }
} finally {
  await db.close();
}
