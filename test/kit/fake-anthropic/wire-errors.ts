// Error shapes and types: https://docs.claude.com/en/api/errors

const TYPE_BY_STATUS: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  408: 'timeout_error',
  409: 'conflict_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

const MESSAGE_BY_TYPE: Record<string, string> = {
  rate_limit_error: 'Number of request tokens has exceeded your per-minute rate limit',
  overloaded_error: 'Overloaded',
  api_error: 'Internal server error',
  timeout_error: 'Request timed out',
  authentication_error: 'invalid x-api-key',
};

/** The `error.type` the Messages API uses for an HTTP status. */
export function errorTypeFor(status: number): string {
  return TYPE_BY_STATUS[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

/** A plausible human-readable message for an error type. */
export function defaultErrorMessage(type: string): string {
  return MESSAGE_BY_TYPE[type] ?? `fake-anthropic: ${type}`;
}

/** The API's error JSON: `{type:'error', error:{type, message}, request_id}`. */
export function errorBody(type: string, message: string, requestId: string): object {
  return { type: 'error', error: { type, message }, request_id: requestId };
}
