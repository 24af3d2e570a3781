import { parseTraceparent } from './trace-context';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

describe('parseTraceparent', () => {
  it('reads the W3C example into OpenTelemetry log fields', () => {
    expect(parseTraceparent(`00-${TRACE_ID}-${SPAN_ID}-01`)).toEqual({
      trace_id: TRACE_ID,
      span_id: SPAN_ID,
      trace_flags: '01',
    });
  });

  it('accepts a later version with extra fields, reading the fields it knows', () => {
    expect(parseTraceparent(`01-${TRACE_ID}-${SPAN_ID}-00-future`)).toEqual({
      trace_id: TRACE_ID,
      span_id: SPAN_ID,
      trace_flags: '00',
    });
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['repeated (Node joins them)', `00-${TRACE_ID}-${SPAN_ID}-01, 00-${TRACE_ID}-${SPAN_ID}-01`],
    ['an array', [`00-${TRACE_ID}-${SPAN_ID}-01`]],
    ['version ff', `ff-${TRACE_ID}-${SPAN_ID}-01`],
    ['version 00 with extra fields', `00-${TRACE_ID}-${SPAN_ID}-01-extra`],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${SPAN_ID}-01`],
    ['an all-zero span id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['uppercase hex', `00-${TRACE_ID.toUpperCase()}-${SPAN_ID}-01`],
    ['a short trace id', `00-${TRACE_ID.slice(1)}-${SPAN_ID}-01`],
    ['a log-forging attempt', `00-${TRACE_ID}-${SPAN_ID}-01\n{"level":60}`],
  ])('ignores a header that is %s', (_, header) => {
    expect(parseTraceparent(header)).toBeNull();
  });
});
