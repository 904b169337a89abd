// The Remix floor's server: express + @remix-run/express, the same compression settings as the product.
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";

const dir = path.dirname(fileURLToPath(import.meta.url));
const build = await import(pathToFileURL(path.join(dir, ".floor-build/server/index.js")).href);
const app = express();
app.disable("x-powered-by");
// Same as server/app.ts's dynamicCompression.
app.use(compression({ brotli: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } } }));
app.use("/build", express.static(path.join(dir, ".floor-build/public/build"), { immutable: true, maxAge: "1y" }));
app.all("*", createRequestHandler({ build, mode: "production" }));
const server = app.listen(Number(process.argv[2]), "127.0.0.1", () => console.log("floor ready"));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
