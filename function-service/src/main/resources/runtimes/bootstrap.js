// Cumulus function runtime for Node.js: one warm process serving many invocations.
//
// Protocol over stdin/stdout, one JSON object per line (see bootstrap.py): an init message
// (handler, environment, function facts) answered with {"ready": true} or an init error, then
// invocations {"requestId", "event", "deadlineMs"} answered with the result or the error and
// what the handler logged. Anything else written to stdout is treated as log text.
'use strict';
const fs = require('fs');
const path = require('path');
const readline = require('readline');
const util = require('util');

const MAX_LOG_CHARS = 64 * 1024;
const send = (message) => fs.writeSync(1, JSON.stringify(message) + '\n');
const error = (type, message, stack) => ({ok: false, errorType: type, errorMessage: message, stackTrace: stack || []});

let captured = '';
for (const level of ['log', 'info', 'warn', 'error', 'debug', 'trace']) {
  console[level] = (...args) => { captured += util.format(...args) + '\n'; };
}
process.stdout.write = process.stderr.write = (chunk) => { captured += String(chunk); return true; };

async function load(handler) {
  const dot = handler.lastIndexOf('.');
  if (dot <= 0) throw new Error(`Bad handler '${handler}': expected file.export`);
  const file = path.join('/var/task', handler.slice(0, dot));
  const name = handler.slice(dot + 1);
  for (const ext of ['.js', '.cjs', '.mjs']) {
    if (!fs.existsSync(file + ext)) continue;
    const module = ext === '.mjs' ? await import(file + ext) : require(file + ext);
    const fn = module[name] ?? module.default?.[name];
    if (typeof fn !== 'function') throw new Error(`${handler} is not a function`);
    return fn;
  }
  throw new Error(`Cannot find module '${handler.slice(0, dot)}'`);
}

function context(init, request) {
  return {
    functionName: init.functionName,
    functionVersion: init.functionVersion,
    invokedFunctionArn: init.functionArn,
    memoryLimitInMB: String(init.memoryMb),
    awsRequestId: request.requestId,
    logGroupName: '/aws/lambda/' + init.functionName,
    logStreamName: init.logStream || 'cumulus',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, request.deadlineMs - Date.now()),
  };
}

// Async handlers return a promise; callback-style handlers (three parameters) call back.
function call(handler, event, ctx) {
  return new Promise((resolve, reject) => {
    const done = (err, value) => (err ? reject(err) : resolve(value));
    try {
      const returned = handler(event, ctx, done);
      if (returned && typeof returned.then === 'function') returned.then(resolve, reject);
      else if (handler.length < 3) resolve(returned);
    } catch (e) {
      reject(e);
    }
  });
}

async function invoke(handler, init, request) {
  captured = '';
  let response;
  try {
    const result = await call(handler, request.event, context(init, request));
    response = {ok: true, result: result === undefined ? null : result};
  } catch (e) {
    const outOfMemory = e instanceof RangeError && /allocation failed|Invalid array length/.test(e.message);
    response = outOfMemory
      ? error('Runtime.OutOfMemory', 'The function ran out of memory')
      : error(e?.name || 'Error', e?.message ?? String(e), String(e?.stack || '').split('\n'));
  }
  response.requestId = request.requestId;
  response.logs = captured.slice(-MAX_LOG_CHARS);
  response.maxMemoryUsedKb = Math.round(process.resourceUsage().maxRSS);
  return response;
}

async function main() {
  const lines = readline.createInterface({input: process.stdin})[Symbol.asyncIterator]();
  const init = JSON.parse((await lines.next()).value);
  Object.assign(process.env, init.environment || {});
  let handler;
  try {
    handler = await load(init.handler);
  } catch (e) {
    send(error('Runtime.ImportModuleError', `Unable to import handler '${init.handler}': ${e.message}`));
    return;
  }
  send({ready: true});
  for (let next = await lines.next(); !next.done; next = await lines.next()) {
    const response = await invoke(handler, init, JSON.parse(next.value));
    send(response);
    if (response.errorType === 'Runtime.OutOfMemory') process.exit(0);
  }
  process.exit(0);
}

main();
