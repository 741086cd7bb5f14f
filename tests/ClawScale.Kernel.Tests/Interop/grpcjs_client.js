// A Node.js client on @grpc/grpc-js + @grpc/proto-loader (the libraries a JavaScript runtime team would use) against
// the kernel: health Check, CreateTenant and ListTenants with the API key as metadata, UNAUTHENTICATED without it.
// Usage: node grpcjs_client.js <protos dir> <health.proto dir> <host:port> <api key> <slug>. Prints one JSON line.
const [, , protoRoot, healthRoot, address, key, slug] = process.argv;
const grpc = require('@grpc/grpc-js');
const loader = require('@grpc/proto-loader');

const options = { keepCase: false, longs: String, enums: String, defaults: true, oneofs: true };
const clawscale = grpc.loadPackageDefinition(loader.loadSync(['clawscale/v1/admin.proto'], { ...options, includeDirs: [protoRoot] }));
const health = grpc.loadPackageDefinition(loader.loadSync(['health.proto'], { ...options, includeDirs: [healthRoot] }));
const credentials = grpc.credentials.createInsecure();
const admin = new clawscale.clawscale.v1.AdminService(address, credentials);
const checker = new health.grpc.health.v1.Health(address, credentials);
const deadline = () => ({ deadline: Date.now() + 10000 });
const auth = new grpc.Metadata();
auth.add('authorization', 'Bearer ' + key);

const call = (client, method, request, metadata) => new Promise((resolve) =>
  client[method](request, metadata, deadline(), (error, response) => resolve({ error, response })));

(async () => {
  const check = await call(checker, 'Check', { service: 'clawscale.v1.AdminService' }, new grpc.Metadata());
  const created = await call(admin, 'CreateTenant', { slug, displayName: 'From grpc-js' }, auth);
  const listed = await call(admin, 'ListTenants', { pageSize: 500 }, auth);
  const anonymous = await call(admin, 'ListTenants', {}, new grpc.Metadata());
  for (const r of [check, created, listed]) {
    if (r.error) { console.error(r.error); process.exit(1); }
  }
  console.log(JSON.stringify({
    health: check.response.status,
    created: created.response.tenant.slug,
    listed: listed.response.tenants.some((t) => t.slug === slug),
    anonymousCode: anonymous.error ? anonymous.error.code : 0,
  }));
  process.exit(0);
})();
