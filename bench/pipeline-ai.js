// The pipeline-ai benchmark (see bench/README.md): the pipeline with every AI feature on
// (intelligent spam check, translation, smart reply in draft mode) in a worker process,
// against an OpenAI-compatible fake with a fixed latency per call
// (bench/fake-openai-server.js), beside the same worker on a form with AI off. Built from
// the pipeline benchmark's pieces (bench/pipeline.js).
'use strict';
const { startFakeOpenAi, TASKS } = require('./fake-openai-server');
const {
  PIPELINE,
  assertReceived,
  createWebhookForm,
  latencyStream,
  startWebhookReceiver,
  throughputBatch,
  workerGroup,
} = require('./pipeline');
const { call, createApiKey, ratio, rps, uniqueSubmission } = require('./support');

const PIPELINE_AI = {
  submissions: Number(process.env.BENCH_PIPELINE_AI_SUBMISSIONS ?? 400),
  paceRate: Number(process.env.BENCH_PIPELINE_AI_RATE ?? 5),
  // The stream lasts as long as the pipeline benchmark's.
  paceSeconds: PIPELINE.paceSeconds,
  // How long the fake model takes to answer each call.
  latencyMs: Number(process.env.BENCH_AI_LATENCY_MS ?? 500),
  workers: 1,
};

// As the e2e tests' (test/support/ai-test-app.ts); the fake answers from it whatever it says.
const KNOWLEDGE_BASE = 'We are open Monday to Friday, 9 to 5.';

/**
 * The two forms compared, both with spam protection on: every AI feature (the intelligent
 * spam check, translation into the owner's language, a smart reply drafted for review with
 * the e-mail field as its recipient), and none (the standard check only).
 */
const variants = (knowledgeBaseId) => ({
  ai: {
    spam_protection_enabled: true,
    spam_protection_strategy: 'intelligent',
    intent: 'Sales enquiries about office furniture',
    localisation_enabled: true,
    smart_reply_enabled: true,
    smart_replies_mode: 'draft',
    smart_reply_email_field: 'email',
    knowledge_base_id: knowledgeBaseId,
  },
  baseline: { spam_protection_enabled: true, spam_protection_strategy: 'standard' },
});

/**
 * What the worker made of each submission of a form, counted: every one must be completed
 * without a `processing_reason` (an AI failure), not spam, in French, and on the AI form
 * translated and with a reply awaiting review; on the other, neither.
 */
async function outcomes({ admin, schema }, formId) {
  const {
    rows: [row],
  } = await admin.query(
    `SELECT
       count(*)::int AS submissions,
       count(*) FILTER (WHERE processing_status = 'completed' AND processing_reason IS NULL)::int AS completed,
       count(*) FILTER (WHERE spam)::int AS spam,
       count(*) FILTER (WHERE detected_language = 'fr')::int AS detected_fr,
       count(*) FILTER (WHERE translated_data IS NOT NULL)::int AS translated,
       count(*) FILTER (WHERE reply_status = 'awaiting_review')::int AS awaiting_review,
       count(*) FILTER (WHERE reply_status IS NULL)::int AS no_reply,
       array_agg(id::text) AS ids
     FROM "${schema}".submissions WHERE form_id = $1`,
    [formId],
  );
  return row;
}

/**
 * Fails unless every submission of the form ended as its variant should, its webhook
 * reached the receiver, and the model got exactly one call of each kind per submission
 * (none with AI off): a retried call would mean a failed one.
 */
async function assertOutcomes(db, { variant, form, expected, receiver, model, label }) {
  const { ids, ...counts } = await outcomes(db, form.id);
  const ai = variant === 'ai';
  const want = {
    submissions: expected,
    completed: expected,
    spam: 0,
    detected_fr: expected,
    translated: ai ? expected : 0,
    awaiting_review: ai ? expected : 0,
    no_reply: ai ? 0 : expected,
  };
  const wrong = Object.keys(want).filter((name) => counts[name] !== want[name]);
  if (wrong.length > 0)
    throw new Error(
      `${label}: ${wrong.map((name) => `${name} ${counts[name]}, expected ${want[name]}`).join('; ')}`,
    );
  const missing = ids.filter((id) => !receiver.firstSeen.has(id));
  if (missing.length > 0)
    throw new Error(`${label}: no webhook for ${missing.length} submissions, e.g. ${missing[0]}`);
  const badCalls = TASKS.filter((task) => model.calls[task] !== (ai ? expected : 0));
  if (badCalls.length > 0)
    throw new Error(
      `${label}: model calls ${JSON.stringify(model.calls)} for ${expected} submissions`,
    );
  return {
    model_calls_per_submission: Object.fromEntries(
      TASKS.map((task) => [task, Math.round((model.calls[task] / expected) * 100) / 100]),
    ),
    max_concurrent_model_calls: model.max_concurrent_calls,
  };
}

/** `db` is `{ admin, schema }`: a superuser connection and the run's schema. */
async function pipelineAiBench(db, appUrl, seeded, workerEnv) {
  const apiKey = await createApiKey(appUrl, seeded, 'bench pipeline-ai key', [
    'forms:write',
    'destinations:write',
    'knowledge_bases:write',
  ]);
  const {
    json: { knowledge_base: knowledgeBase },
  } = await call(`${appUrl}/api/knowledge_bases`, {
    method: 'POST',
    body: { name: 'Bench FAQ', content: KNOWLEDGE_BASE },
    headers: { authorization: `Bearer ${apiKey}` },
  });
  const settings = variants(knowledgeBase.id);
  const receiver = await startWebhookReceiver();
  const fake = await startFakeOpenAi({ latencyMs: PIPELINE_AI.latencyMs });
  // Both variants run on this worker: AI configured, and used only where the form asks.
  const workers = workerGroup({
    ...workerEnv,
    OPENAI_API_KEY: 'bench-key',
    OPENAI_BASE_URL: fake.baseUrl,
    OPENAI_MODEL: 'bench-model',
  });
  let formCount = 0;
  const newForm = (variant) => {
    formCount += 1;
    return createWebhookForm(
      appUrl,
      apiKey,
      receiver,
      `bench-pipeline-ai-${variant}-${formCount}`,
      settings[variant],
    );
  };
  // French, so that the owner's `en` is another language and the AI form translates.
  const body = () => uniqueSubmission('fr');
  // Time enough for a batch even if only a few jobs ran at once, each with 3 calls.
  const timeoutMs = PIPELINE.timeoutMs + (PIPELINE_AI.submissions * 3 * PIPELINE_AI.latencyMs) / 5;
  const order = ['baseline', 'ai'];
  // A refused call is retried by the job queue with backoff: fail at once instead.
  const check = () => {
    if (fake.problems.length > 0)
      throw new Error(`fake model refused: ${fake.problems.slice(0, 3).join('; ')}`);
  };

  try {
    // Throughput: each variant's batch stored first, then one fresh worker drains it.
    const throughput = {};
    for (const variant of order) {
      await workers.stop();
      const form = await newForm(variant);
      const mark = fake.mark();
      const label = `pipeline-ai batch (${variant})`;
      const run = await throughputBatch(db, {
        form,
        workers,
        workerCount: PIPELINE_AI.workers,
        submissions: PIPELINE_AI.submissions,
        body,
        label,
        timeoutMs,
        decimals: 1,
        check,
      });
      const model = fake.since(mark);
      throughput[variant] = {
        ...run,
        ...(await assertOutcomes(db, {
          variant,
          form,
          expected: PIPELINE_AI.submissions,
          receiver,
          model,
          label,
        })),
      };
    }

    // Latency: a paced stream per variant, with the last batch's worker idle and polling.
    const latency = {};
    for (const variant of order) {
      const form = await newForm(variant);
      const mark = fake.mark();
      const label = `pipeline-ai stream (${variant})`;
      const run = await latencyStream(db, {
        form,
        workers,
        receiver,
        rate: PIPELINE_AI.paceRate,
        seconds: PIPELINE_AI.paceSeconds,
        body,
        label,
        timeoutMs,
        check,
      });
      latency[variant] = {
        ...run,
        ...(await assertOutcomes(db, {
          variant,
          form,
          expected: run.submissions,
          receiver,
          model: fake.since(mark),
          label,
        })),
      };
    }

    check();
    const verified = assertReceived(
      receiver,
      order.length * (PIPELINE_AI.submissions + PIPELINE_AI.paceRate * PIPELINE_AI.paceSeconds),
    );
    // The AI steps run one after the other (SubmissionProcessor.aiSteps), each awaiting its
    // call: a submission cannot take less than its calls times the model's latency. The job
    // runner claims a batch and awaits all of it, so the calls held at once bound throughput.
    const perSubmission = throughput.ai.model_calls_per_submission;
    const sequentialCalls = TASKS.reduce((sum, task) => sum + perSubmission[task], 0);
    const floorMs = sequentialCalls * PIPELINE_AI.latencyMs;
    const concurrent = throughput.ai.max_concurrent_model_calls;
    return {
      model: {
        latency_ms: PIPELINE_AI.latencyMs,
        calls_per_submission: perSubmission,
        sequential_calls_per_submission: sequentialCalls,
        floor_ms: floorMs,
        max_concurrent_calls: concurrent,
        throughput_ceiling_jobs_per_sec: Math.round((concurrent / (floorMs / 1000)) * 10) / 10,
      },
      throughput: {
        ...throughput,
        ratio: ratio(throughput.ai.jobs_per_sec, throughput.baseline.jobs_per_sec),
      },
      latency: {
        ...latency,
        added_p50_ms: latency.ai.p50_ms - latency.baseline.p50_ms,
        ai_p50_above_floor_ms: latency.ai.p50_ms - floorMs,
      },
      verified,
    };
  } finally {
    await workers.stop();
    await receiver.close();
    await fake.close();
  }
}

/** pipeline-ai.json (the run's `context` + the figures) and the lines printed for it. */
function pipelineAiReport(run, context) {
  const result = {
    benchmark:
      'AI pipeline: a worker process (node dist/apps/worker/src/main.js) processing submissions ' +
      'with every AI feature on (intelligent spam check, translation, smart reply in draft mode) ' +
      'against a local OpenAI-compatible fake with a fixed latency per call, and delivering a ' +
      'signed webhook to a local receiver; baseline: the same worker on a form with AI off',
    ...context,
    load: {
      submissions_per_batch: PIPELINE_AI.submissions,
      ingest_connections: PIPELINE.ingestConnections,
      latency_stream: `${PIPELINE_AI.paceRate}/s for ${PIPELINE_AI.paceSeconds} s`,
      workers: PIPELINE_AI.workers,
      model_latency_ms: PIPELINE_AI.latencyMs,
      tool: context.load.tool,
    },
    ...run,
  };
  const { model, throughput, latency } = run;
  const { ai, baseline } = throughput;
  const calls = (figures) =>
    TASKS.map((task) => `${task} ${figures.model_calls_per_submission[task]}`).join(', ');
  const lines = [
    `pipeline-ai throughput (${ai.workers} worker, model ${model.latency_ms} ms a call): ` +
      `${rps(ai.jobs_per_sec)} jobs/s end to end vs ${rps(baseline.jobs_per_sec)} with AI off ` +
      `(ratio ${throughput.ratio}); ${rps(ai.submissions)} submissions in ${ai.duration_s} s vs ` +
      `${baseline.duration_s} s; ceiling ${model.throughput_ceiling_jobs_per_sec} jobs/s ` +
      `(${model.max_concurrent_calls} calls at once)`,
    `pipeline-ai latency (201 to webhook, ${latency.ai.workers} worker, ${latency.ai.rate_per_sec}/s): ` +
      `p50 ${latency.ai.p50_ms} / p90 ${latency.ai.p90_ms} / p99 ${latency.ai.p99_ms} ms vs AI off ` +
      `p50 ${latency.baseline.p50_ms} / p90 ${latency.baseline.p90_ms} / p99 ${latency.baseline.p99_ms} ms; ` +
      `floor ${model.floor_ms} ms (${model.sequential_calls_per_submission} calls one after the other ` +
      `× ${model.latency_ms} ms)`,
    `pipeline-ai model calls per submission: ${calls(ai)} (AI off: ${calls(baseline)})`,
  ];
  return { result, lines };
}

module.exports = { pipelineAiBench, pipelineAiReport };
