// The bare baseline: node:http answering a static string. Every page is measured as a share of this.
import http from "node:http";

const server = http.createServer((_req, res) => {
  res.writeHead(200, { "content-type": "text/plain" });
  res.end("ok");
});
server.listen(Number(process.argv[2]), "127.0.0.1", () => console.log("baseline ready"));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
