// An NSPS-like sender for benchmarks, apart from the Java one: keep-alive connections,
// no trace headers, each event's JSON built when it is sent. C senders post N distinct
// SIM/Created events (subscribers FIRST..FIRST+N-1 of RUN) and redeliver an event 1 s
// after a 429, a 503, a timeout or a broken connection, until it is answered 202.
// Prints one JSON line: acknowledged, seconds, p50 and p99 of the answers (ms),
// redeliveries, refused.
//   node scripts/nsps-sender.mjs URL TOKEN RUN FIRST N C [TYPE=SIM/Created] [MINUTE=0]
// TYPE SIM/Updated with a later MINUTE sends the same values again, as a status change
// that touches no mapped field does; any other TYPE is one the connector does not handle,
// answered 200 without touching HubSpot.
import http from 'node:http';

const [url, token, run, firstArg, countArg, sendersArg, typeArg, minuteArg] = process.argv.slice(2);
const type = typeArg ?? 'SIM/Created';
const minute = Number(minuteArg ?? 0);
const handled = type === 'SIM/Created' || type === 'SIM/Updated';
const first = Number(firstArg);
const count = Number(countArg);
const senders = Number(sendersArg);
const agent = new http.Agent({ keepAlive: true, maxSockets: senders });
const target = new URL(url);

function account(n) {
  // As SimEvents.account: distinct across runs.
  let hash = 0;
  for (const c of run) {
    hash = (Math.imul(31, hash) + c.charCodeAt(0)) | 0;
  }
  const floorMod = ((hash % 1_000_000) + 1_000_000) % 1_000_000;
  return BigInt(floorMod + 1) * 10_000_000n + BigInt(n);
}

function event(n) {
  const pad = (value, width) => String(value).padStart(width, '0');
  return JSON.stringify({
    event_id: minute === 0 ? `${run}-${n}` : `${run}-${n}-${minute}`,
    data: { event_type: type, variables: { i_env: 3, i_event: n,
      event_time: `2025-05-01 ${pad(12 + Math.floor(minute / 60), 2)}:${pad(minute % 60, 2)}:00` } },
    pb_data: {
      account_info: {
        billing_model: 'credit_account', email: `subscriber-${run}-${n}@example.com`, firstname: `First${n}`,
        lastname: `Last${n}`, phone1: `555${pad(n, 7)}`, i_account: Number(account(n)),
        assigned_addons: [{ name: 'Video UHD', i_product: 3775 }], status: 'active',
      },
      sim_info: { i_sim_card: 500_000 + n, imsi: `00101${pad(n, 10)}`, status: 'active' },
    },
    handler_id: 'hubspot-contacts', status: 'received',
  });
}

function post(body) {
  return new Promise((resolve) => {
    const request = http.request({
      host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent,
      headers: { 'Content-Type': 'application/json', 'Authorization': `Bearer ${token}`,
        'Content-Length': Buffer.byteLength(body) },
      timeout: 30_000,
    }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode));
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', () => resolve(-1));
    request.end(body);
  });
}

const latencies = [];
let next = first;
let acknowledged = 0;
let redeliveries = 0;
let refused = 0;
const start = process.hrtime.bigint();

async function sender() {
  for (let n = next++; n < first + count; n = next++) {
    for (;;) {
      const sent = process.hrtime.bigint();
      const status = await post(event(n));
      if (status === 202 || (status === 200 && !handled)) {
        latencies.push(Number(process.hrtime.bigint() - sent) / 1e6);
        acknowledged++;
        break;
      }
      if (status !== 429 && status !== 503 && status !== -1) {
        refused++;
        break;
      }
      redeliveries++;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

await Promise.all(Array.from({ length: senders }, sender));
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
latencies.sort((a, b) => a - b);
const percentile = (p) => (latencies.length ? latencies[Math.max(0, Math.ceil(p / 100 * latencies.length) - 1)] : NaN);
console.log(JSON.stringify({ acknowledged, seconds, p50: percentile(50), p99: percentile(99), redeliveries, refused }));
agent.destroy();
