// The bare baseline: node:http answering a static string. Every page is measured as a share of this.
// With a size as the second argument it answers that many bytes instead: the bench's page-sized reference, what this
// host and the load generator can carry for a response as large as a compressed page, whatever the server does.
import crypto from "node:crypto";
import http from "node:http";

const size = Number(process.argv[3] ?? 0);
const body = size > 0 ? crypto.randomBytes(size) : Buffer.from("ok");
const headers = { "content-type": size > 0 ? "application/octet-stream" : "text/plain", "content-length": body.length };

const server = http.createServer((_req, res) => {
  res.writeHead(200, headers);
  res.end(body);
});
server.listen(Number(process.argv[2]), "127.0.0.1", () => console.log("baseline ready"));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
