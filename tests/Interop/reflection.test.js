'use strict';
// Any gRPC client can use the lab server knowing it through server reflection alone: this Node.js client has no
// proto file. It starts one server process (the DLL named by LAB_SERVER_DLL), calls every method, and ends it.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const readline = require('node:readline');
const grpc = require('@grpc/grpc-js');
const { GrpcReflection } = require('grpc-js-reflection-client');

const START_TIMEOUT_MS = 60_000;
const CALL_TIMEOUT_MS = 10_000;
const EXIT_TIMEOUT_MS = 20_000;
// Field names as in the proto, 64-bit numbers as JS numbers (the values here are small), enums by name.
const LOADER_OPTIONS = { keepCase: true, longs: Number, enums: String, defaults: true };

let server;
let address;
let lab;
let health;

before(async () => {
  const dll = process.env.LAB_SERVER_DLL;
  assert.ok(dll, 'set LAB_SERVER_DLL to the path of GrpcLoadLab.Server.dll');
  server = spawn('dotnet', [dll, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  // Whatever happens to the tests, the server they started does not outlive them.
  process.on('exit', () => server.kill('SIGKILL'));
  const port = await listeningPort(server);
  address = `127.0.0.1:${port}`;

  const reflection = new GrpcReflection(address, grpc.credentials.createInsecure(), {}, 'v1');
  const services = await reflection.listServices();
  assert.ok(services.includes('lab.v1.LoadLab'), `reflection lists ${services}`);
  assert.ok(services.includes('grpc.health.v1.Health'), `reflection lists ${services}`);

  const labPackage = (await reflection.getDescriptorBySymbol('lab.v1.LoadLab')).getPackageObject(LOADER_OPTIONS);
  const healthPackage = (await reflection.getDescriptorBySymbol('grpc.health.v1.Health')).getPackageObject(LOADER_OPTIONS);
  lab = new labPackage.lab.v1.LoadLab(address, grpc.credentials.createInsecure());
  health = new healthPackage.grpc.health.v1.Health(address, grpc.credentials.createInsecure());
});

after(async () => {
  lab?.close();
  health?.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    const timer = setTimeout(() => server.kill('SIGKILL'), EXIT_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }
});

test('Health/Check reports SERVING', async () => {
  const reply = await unary(health, 'Check', {});
  assert.equal(reply.status, 'SERVING');
});

test('Unary replies with the instance id, the size asked for and the sequence', async () => {
  const reply = await unary(lab, 'Unary', { payload: Buffer.alloc(32), reply_size: 100, sequence: 7 });
  assert.equal(reply.instance_id, instanceId());
  assert.equal(reply.payload.length, 100);
  assert.equal(reply.sequence, 7);
});

test('ServerStream sends reply_count replies of reply_size bytes', async () => {
  const call = lab.ServerStream({ reply_count: 5, reply_size: 10 }, { deadline: deadline() });
  const replies = await collect(call);
  assert.deepEqual(replies.map((r) => r.sequence), [0, 1, 2, 3, 4]);
  for (const reply of replies) {
    assert.equal(reply.instance_id, instanceId());
    assert.equal(reply.payload.length, 10);
  }
});

test('ClientStream counts the messages and bytes it received', async () => {
  const reply = await new Promise((resolve, reject) => {
    const call = lab.ClientStream({ deadline: deadline() }, (error, value) => (error ? reject(error) : resolve(value)));
    for (let sequence = 1; sequence <= 4; sequence++) {
      call.write({ payload: Buffer.alloc(3), reply_size: 7, sequence });
    }
    call.end();
  });
  assert.equal(reply.instance_id, instanceId());
  assert.equal(reply.messages_received, 4);
  assert.equal(reply.bytes_received, 12);
  assert.equal(reply.payload.length, 7);
  assert.equal(reply.sequence, 4);
});

test('Bidi answers each message with its sequence and size', async () => {
  const call = lab.Bidi({ deadline: deadline() });
  const replies = collect(call);
  for (let sequence = 1; sequence <= 3; sequence++) {
    call.write({ reply_size: sequence * 4, sequence });
  }
  call.end();
  const received = await replies;
  assert.deepEqual(received.map((r) => [r.sequence, r.payload.length]), [[1, 4], [2, 8], [3, 12]]);
  assert.ok(received.every((r) => r.instance_id === instanceId()));
});

test('GetStats names the instance and counts the calls it served', async () => {
  await unary(lab, 'Unary', { reply_size: 1 });
  const stats = await unary(lab, 'GetStats', {});
  assert.equal(stats.instance_id, instanceId());
  assert.ok(stats.unary.completed >= 1, `unary.completed = ${stats.unary.completed}`);
  assert.ok(stats.processor_count >= 1);
  assert.equal(stats.draining, false);
});

test('SetFault is refused with FAILED_PRECONDITION by a server started without --allow-faults', async () => {
  await assert.rejects(unary(lab, 'SetFault', { failure_ratio: 1, failure_status: 14 }), (error) => {
    assert.equal(error.code, grpc.status.FAILED_PRECONDITION);
    assert.match(error.details, /--allow-faults/);
    return true;
  });
});

test('WatchStats streams the instance\'s seconds until the client cancels', async () => {
  const call = lab.WatchStats({ recent_seconds: 0 }, { deadline: deadline() });
  const ended = new Promise((resolve) => call.on('error', resolve));
  const second = await new Promise((resolve, reject) => {
    call.once('data', resolve);
    call.once('end', () => reject(new Error('the stream ended before its first second')));
  });
  call.cancel();
  assert.equal((await ended).code, grpc.status.CANCELLED);
  assert.equal(second.instance_id, instanceId());
  assert.ok(second.length_micros > 0, `length_micros = ${second.length_micros}`);
  assert.ok(second.processor_count >= 1);
  assert.equal(second.draining, false);
});

function instanceId() {
  return `server-${address.split(':')[1]}`;
}

function deadline() {
  return Date.now() + CALL_TIMEOUT_MS;
}

function unary(client, method, request) {
  return new Promise((resolve, reject) => {
    client[method](request, { deadline: deadline() }, (error, reply) => (error ? reject(error) : resolve(reply)));
  });
}

// Every reply of a stream, once it has ended with OK; rejects with the call's error otherwise.
function collect(call) {
  return new Promise((resolve, reject) => {
    const replies = [];
    call.on('data', (reply) => replies.push(reply));
    call.on('error', reject);
    call.on('end', () => resolve(replies));
  });
}

// The port from the server's first line: "server: ID listening on http://127.0.0.1:PORT (h2c), ...".
function listeningPort(child) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not start listening in time')), START_TIMEOUT_MS);
    child.once('exit', (code) => reject(new Error(`the server exited with code ${code} before listening`)));
    const lines = readline.createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+) /.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
  });
}
