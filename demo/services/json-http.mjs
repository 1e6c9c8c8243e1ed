// JSON over node:http for the demo services. Client calls use http.request, not fetch: the OpenTelemetry http
// instrumentation patches node:http, while Node's fetch (undici) needs a separate instrumentation.
import http from 'node:http';

export function sendJson(response, status, value, headers = {}) {
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value));
}

export function readJson(request) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text ? JSON.parse(text) : {});
      } catch {
        reject(Object.assign(new Error('request body is not valid JSON'), { status: 400 }));
      }
    });
    request.on('error', reject);
  });
}

export function getJson(url) {
  return new Promise((resolve, reject) => {
    http.get(url, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (response.statusCode >= 400) return reject(new Error(`GET ${url}: HTTP ${response.statusCode} ${text}`));
        try {
          resolve(JSON.parse(text));
        } catch {
          reject(new Error(`GET ${url}: the answer is not JSON`));
        }
      });
    }).on('error', reject);
  });
}
