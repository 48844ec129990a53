import type { Tracer } from '@opentelemetry/api';
import { currentTraceParent, inSpan, linksTo, withTraceParent } from '../observability/tracing.js';
import type { TurnDispatcher } from './dispatcher.js';
import type { TurnRunner } from './turn-deps.js';
import type { TurnJob } from './turn-job.js';

/**
 * A job with the active trace written into it (a request's or a decision's `traceparent`), so
 * the run on whichever instance takes it continues that trace. One already carried is kept: a
 * hand-over or a re-submit stays in the trace it began in.
 */
function withTrace(job: TurnJob): TurnJob {
  const traceparent = currentTraceParent();
  if (!traceparent) return job;
  if (job.kind === 'turn')
    return {
      ...job,
      request: { ...job.request, traceparent: job.request.traceparent ?? traceparent },
    };
  return {
    ...job,
    decision: { ...job.decision, traceparent: job.decision.traceparent ?? traceparent },
  };
}

/** The dispatcher, its submits traced (`turn.enqueue`) and carrying the trace to the runner. */
export function traceDispatcher<D extends TurnDispatcher>(dispatcher: D, tracer: Tracer): D {
  return {
    ...dispatcher,
    submit: (job, options) =>
      inSpan(tracer, 'turn.enqueue', { 'turn.kind': job.kind }, () =>
        dispatcher.submit(withTrace(job), options),
      ),
  };
}

/**
 * The runner, each run a `turn.run` (or `turn.decide`) span in the trace its job carries: the
 * model, tool and Slack calls of the run are its children. Attributes name the surface only.
 */
export function traceRunner(runner: TurnRunner, tracer: Tracer): TurnRunner {
  return {
    run: (request) =>
      withTraceParent(request.traceparent, () =>
        inSpan(tracer, 'turn.run', { 'turn.surface': request.source }, () => runner.run(request)),
      ),
    decide: (decision) =>
      withTraceParent(decision.traceparent, () =>
        inSpan(
          tracer,
          'turn.decide',
          { 'turn.decision': decision.decision },
          () => runner.decide(decision),
          // The click is a trace of its own, linked to the turn's: the two read as one story.
          linksTo(decision.turnTraceparent),
        ),
      ),
  };
}
