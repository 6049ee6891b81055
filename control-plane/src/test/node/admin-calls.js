// Calls the Starling AdminService as a Node.js user would: grpc-js and proto-loader over the
// project's .proto files, no generated code. Reads {"address", "protoDir", "calls": [{"method",
// "request"}]} as JSON on stdin and prints one JSON line per call: {"method", "code", "status",
// "details"} for a refused call, {"method", "code": 0, "response"} for a successful one.
const grpc = require('@grpc/grpc-js');
const loader = require('@grpc/proto-loader');

let input = '';
process.stdin.on('data', chunk => { input += chunk; });
process.stdin.on('end', async () => {
  const { address, protoDir, calls } = JSON.parse(input);
  const definition = loader.loadSync('starling/admin/admin.proto', {
    includeDirs: [protoDir], keepCase: true, longs: String, enums: String, defaults: false,
  });
  const AdminService = grpc.loadPackageDefinition(definition).starling.admin.AdminService;
  const client = new AdminService(address, grpc.credentials.createInsecure(), {
    'grpc.max_send_message_length': -1,
  });
  for (const call of calls) {
    const line = await new Promise(resolve => {
      client[call.method](call.request, { deadline: Date.now() + 20000 }, (error, response) => {
        resolve(error
          ? { method: call.method, code: error.code, status: grpc.status[error.code], details: error.details }
          : { method: call.method, code: 0, response });
      });
    });
    process.stdout.write(JSON.stringify(line) + '\n');
  }
  client.close();
});
