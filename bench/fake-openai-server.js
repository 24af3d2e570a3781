// An OpenAI-compatible model on 127.0.0.1 for the pipeline-ai benchmark (bench/pipeline-ai.js):
// answers `POST /v1/chat/completions`, the only endpoint the app's `openai` client calls
// (libs/pipeline/src/ai/ai-client.ts), after a fixed delay, with an answer that fits the
// structured-output schema the request names. The answers are those of the e2e tests' fake
// (test/support/fake-openai.ts, played as `fakeModel` in test/support/ai-test-app.ts).
'use strict';
const http = require('node:http');

/**
 * The answer per task, i.e. per `response_format.json_schema.name` (libs/pipeline/src/ai/
 * ai-steps.ts), from the user message's JSON; a malformed input throws.
 */
const ANSWERS = {
  spam_verdict: (input) => {
    if (typeof input.submission !== 'object' || input.submission === null)
      throw new Error('no submission');
    return { spam: false, confidence: 0.05, reason: 'A genuine enquiry' };
  },
  // Each text tagged, not changed: its `[[n]]` placeholders (the masked e-mails, URLs and
  // numbers) must come back exactly once, or the app keeps the original text.
  translation: (input) => {
    if (typeof input.target_language !== 'string' || !Array.isArray(input.fields))
      throw new Error('no target_language or fields');
    const tag = input.target_language.toUpperCase();
    return { fields: input.fields.map(({ name, text }) => ({ name, text: `${tag}: ${text}` })) };
  },
  smart_reply: (input) => {
    if (typeof input.knowledge_base !== 'string' || !input.knowledge_base)
      throw new Error('no knowledge_base');
    return { answerable: true, subject: 'Our opening hours', body: 'We are open 9 to 5.' };
  },
};
const TASKS = Object.keys(ANSWERS);

/** The task and the answer's JSON for one request body, or throws with what is wrong. */
function answer(request, text) {
  if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
    const error = new Error(`${request.method} ${request.url}: not an endpoint of this fake`);
    error.status = 404;
    throw error;
  }
  if (!/^Bearer \S+/.test(request.headers.authorization ?? ''))
    throw new Error('no bearer API key');
  const body = JSON.parse(text);
  const task = body.response_format?.json_schema?.name;
  if (!TASKS.includes(task)) throw new Error(`unknown task ${JSON.stringify(task)}`);
  const user = body.messages?.find((message) => message.role === 'user');
  if (!user) throw new Error(`${task}: no user message`);
  return {
    task,
    model: body.model,
    content: JSON.stringify(ANSWERS[task](JSON.parse(user.content))),
  };
}

/**
 * Starts the fake; every valid call is answered after `latencyMs`. `mark()` starts a phase
 * and `since(mark)` gives its calls per task and the most calls held at once during it;
 * `problems` lists the refused requests (the benchmark fails on any).
 */
async function startFakeOpenAi({ latencyMs }) {
  const fake = {
    latencyMs,
    calls: Object.fromEntries(TASKS.map((task) => [task, 0])),
    inFlight: 0,
    peak: 0,
    problems: [],
  };
  const timers = new Set();
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      let reply;
      try {
        reply = answer(req, Buffer.concat(chunks).toString('utf8'));
      } catch (error) {
        fake.problems.push(error.message);
        return send(res, error.status ?? 400, { error: { message: error.message } });
      }
      fake.calls[reply.task] += 1;
      fake.inFlight += 1;
      fake.peak = Math.max(fake.peak, fake.inFlight);
      const timer = setTimeout(() => {
        timers.delete(timer);
        fake.inFlight -= 1;
        send(res, 200, completion(reply.model, reply.content));
      }, latencyMs);
      timers.add(timer);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  // For OPENAI_BASE_URL: the SDK appends `/chat/completions`.
  fake.baseUrl = `http://127.0.0.1:${server.address().port}/v1`;
  fake.mark = () => {
    fake.peak = fake.inFlight;
    return { ...fake.calls };
  };
  fake.since = (mark) => ({
    calls: Object.fromEntries(TASKS.map((task) => [task, fake.calls[task] - mark[task]])),
    max_concurrent_calls: fake.peak,
  });
  fake.close = () => {
    for (const timer of timers) clearTimeout(timer);
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
  };
  return fake;
}

/** A chat completion as OpenAI returns it, with `content` as the assistant's message. */
function completion(model, content) {
  return {
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      { index: 0, finish_reason: 'stop', message: { role: 'assistant', content, refusal: null } },
    ],
  };
}

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

module.exports = { TASKS, startFakeOpenAi };
