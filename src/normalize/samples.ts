import type { NormalizedFields } from '../read/assemble.js';

/** A real-shaped line from one logger family and what normalization must make of it. */
export interface LoggerSample {
  logger: string;
  line: string;
  expect: Partial<NormalizedFields>;
}

/**
 * One sample line per known logger family. The test suite normalizes each, so the alias table
 * cannot drift away from the loggers it claims to read.
 */
export const SAMPLES: LoggerSample[] = [
  {
    logger: 'pino',
    line: '{"level":50,"time":1705314645123,"pid":1,"hostname":"h","name":"payment","reqId":"req-1","req":{"method":"post","url":"/api/pay?x=1"},"responseTime":231,"err":{"type":"TimeoutError","message":"timeout","stack":"TimeoutError: timeout\\n    at x"},"msg":"request errored"}',
    expect: { level: 'error', time: 1705314645123, service: 'payment', ids: ['req-1'], message: 'request errored', durationMs: 231, operation: 'POST /api/pay', errorType: 'TimeoutError', errorMessage: 'timeout', stack: 'TimeoutError: timeout\n    at x' },
  },
  {
    logger: 'bunyan',
    line: '{"name":"myservice","hostname":"h","pid":1,"level":30,"msg":"hello","time":"2024-01-15T10:30:45.123Z","v":0,"req_id":"abc"}',
    expect: { level: 'info', time: Date.parse('2024-01-15T10:30:45.123Z'), service: 'myservice', ids: ['abc'], message: 'hello' },
  },
  {
    logger: 'winston (json)',
    line: '{"level":"warn","message":"disk almost full","timestamp":"2024-01-15T10:30:45.123+01:00","service":"storage"}',
    expect: { level: 'warn', time: Date.parse('2024-01-15T09:30:45.123Z'), service: 'storage', message: 'disk almost full' },
  },
  {
    logger: 'python-json-logger',
    line: '{"asctime": "2024-01-15 10:30:45,123", "levelname": "ERROR", "name": "checkout", "message": "Payment failed", "request_id": "r-9", "duration_ms": 12.5, "exc_info": "Traceback..."}',
    expect: { level: 'error', time: Date.parse('2024-01-15T10:30:45.123Z'), service: 'checkout', message: 'Payment failed', ids: ['r-9'], durationMs: 12.5, stack: 'Traceback...' },
  },
  {
    logger: 'structlog',
    line: '{"event": "user logged in", "level": "info", "timestamp": "2024-01-15T10:30:45.123456Z", "logger": "auth", "user_id": 7}',
    expect: { level: 'info', message: 'user logged in', component: 'auth', time: Date.parse('2024-01-15T10:30:45.123Z') + 0.456 },
  },
  {
    logger: 'zap (production)',
    line: '{"level":"error","ts":1705314645.123,"caller":"main.go:12","msg":"dial failed","trace_id":"t1","latency":"1.5s","error":"connection refused"}',
    expect: { level: 'error', time: 1705314645123, message: 'dial failed', ids: ['t1'], durationMs: 1500, errorMessage: 'connection refused' },
  },
  {
    logger: 'logrus',
    line: '{"level":"warning","msg":"retrying","time":"2024-01-15T10:30:45+09:00","component":"worker","attempt":2}',
    expect: { level: 'warn', time: Date.parse('2024-01-15T01:30:45Z'), component: 'worker', message: 'retrying' },
  },
  {
    logger: 'logrus (WithError)',
    line: '{"level":"error","msg":"query failed","time":"2024-01-15T10:30:45Z","error":"pq: relation \\"users\\" does not exist"}',
    expect: { level: 'error', message: 'query failed', errorMessage: 'pq: relation "users" does not exist' },
  },
  {
    logger: 'Go log/slog (JSON handler)',
    line: '{"time":"2024-01-15T10:30:45.123Z","level":"ERROR","msg":"operation failed","err":"dial tcp 10.0.0.7:5432: connect: connection refused"}',
    expect: { level: 'error', message: 'operation failed', errorMessage: 'dial tcp 10.0.0.7:5432: connect: connection refused' },
  },
  {
    logger: 'Serilog JsonFormatter',
    line: '{"Timestamp":"2024-01-15T10:30:45.123Z","Level":"Error","MessageTemplate":"Send failed","RenderedMessage":"Send failed","Exception":"System.Net.Mail.SmtpException: Mailbox unavailable\\r\\n   at Notifier.Send()"}',
    expect: { level: 'error', stack: 'System.Net.Mail.SmtpException: Mailbox unavailable\r\n   at Notifier.Send()' },
  },
  {
    logger: 'AWS Lambda Powertools (Python)',
    line: '{"level":"ERROR","location":"handler:17","message":"500 Server Error","timestamp":"2022-11-16 13:51:29,198+0000","service":"payment","exception":"Traceback (most recent call last):\\n  File \\"app.py\\", line 17, in handler\\nrequests.exceptions.HTTPError: 500 Server Error","exception_name":"HTTPError"}',
    expect: { level: 'error', message: '500 Server Error', service: 'payment', errorType: 'HTTPError', stack: 'Traceback (most recent call last):\n  File "app.py", line 17, in handler\nrequests.exceptions.HTTPError: 500 Server Error' },
  },
  {
    logger: 'Elastic ECS',
    line: '{"@timestamp":"2024-01-15T10:30:45.123+0000","log.level":"error","message":"charge failed","service":{"name":"payment-service"},"trace":{"id":"tr-1"},"transaction":{"id":"tx-1"},"event":{"duration":1500000000,"action":"charge"},"error":{"type":"BankTimeout","message":"bank timeout"},"http":{"request":{"method":"POST"}},"url":{"path":"/pay"}}',
    expect: { level: 'error', time: Date.parse('2024-01-15T10:30:45.123Z'), message: 'charge failed', service: 'payment-service', ids: ['tr-1', 'tx-1'], durationMs: 1500, operation: 'charge', errorType: 'BankTimeout', errorMessage: 'bank timeout' },
  },
  {
    logger: 'Serilog CLEF',
    line: '{"@t":"2024-01-15T10:30:45.1234567Z","@mt":"Order {OrderId} failed","@m":"Order 42 failed","@l":"Error","@x":"System.Exception: boom\\n   at Foo()","@tr":"af2f","OrderId":42,"elapsed_ms":17}',
    expect: { level: 'error', message: 'Order 42 failed', ids: ['af2f'], stack: 'System.Exception: boom\n   at Foo()', durationMs: 17 },
  },
  {
    logger: 'CLEF without @l (Information)',
    line: '{"@t":"2024-01-15T10:30:45Z","@mt":"Loop {Counter}","Counter":1}',
    expect: { level: 'info', message: 'Loop {Counter}' },
  },
  {
    logger: 'OpenTelemetry log record',
    line: '{"timeUnixNano":"1705314645123000000","severityNumber":17,"severityText":"ERROR","body":"db down","traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","attributes":{"service.name":"orders"}}',
    expect: { level: 'error', time: 1705314645123, message: 'db down', ids: ['5b8efff798038103d269b633813fc60c'] },
  },
  {
    logger: 'journald (journalctl -o json)',
    line: '{"__REALTIME_TIMESTAMP":"1705314645123456","PRIORITY":"3","MESSAGE":"unit failed","_SYSTEMD_UNIT":"app.service","SYSLOG_IDENTIFIER":"app"}',
    expect: { level: 'error', time: 1705314645123.456, message: 'unit failed' },
  },
  {
    logger: 'Google Cloud Logging',
    line: '{"severity":"CRITICAL","timestamp":"2024-01-15T10:30:45.123Z","message":"out of memory","logging.googleapis.com/trace":"projects/p/traces/abc123"}',
    expect: { level: 'fatal', message: 'out of memory', ids: ['projects/p/traces/abc123'] },
  },
  {
    logger: 'GELF',
    line: '{"version":"1.1","host":"h","short_message":"login failed","timestamp":1705314645.5,"level":4,"_user":"bob"}',
    expect: { level: 'warn', time: 1705314645500, message: 'login failed' },
  },
  {
    logger: 'FaultMaven (seed runbook)',
    line: '{"timestamp":"2024-01-15T10:30:45.123Z","level":"INFO","logger":"faultmaven.services.agent","message":"Operation completed","correlation_id":"req_12345","operation":"process_query","layer":"service","event_type":"operation_end","duration_seconds":2.5,"performance_violation":true,"threshold_seconds":1.0}',
    expect: { level: 'info', ids: ['req_12345'], operation: 'process_query', component: 'service', eventType: 'operation_end', durationMs: 2500 },
  },
  {
    logger: 'nginx (json log_format)',
    line: '{"time_local":"15/Jan/2024:10:30:45 +0100","remote_addr":"1.2.3.4","request_method":"GET","status":502,"request_id":"ng-1","request_time":0.5,"method":"GET","path":"/api/items?page=2"}',
    expect: { time: Date.parse('2024-01-15T09:30:45Z'), ids: ['ng-1'], operation: 'GET /api/items', level: 'error' },
  },
  {
    logger: 'AI agent tool call (Aurelis/Cortex style)',
    line: '{"timestamp":"2024-01-15T10:30:45Z","level":"warning","service":"agent","tool_name":"web_search","correlationId":"c-1","durationMs":"850ms","event_type":"tool_call"}',
    expect: { level: 'warn', operation: 'web_search', ids: ['c-1'], durationMs: 850, eventType: 'tool_call' },
  },
  {
    logger: 'Kubernetes/Go with mixed-case keys',
    line: '{"Timestamp":"2024-01-15T10:30:45Z","Level":"Error","Message":"crash loop","TraceId":"T-1","Service.Name":"api"}',
    expect: { level: 'error', message: 'crash loop', ids: ['T-1'], service: 'api' },
  },
  {
    logger: 'loguru (serialize=True)',
    line: '{"text": "2024-01-15 10:30:45.123 | ERROR    | app.pay:charge:42 - charge failed\\n", "record": {"elapsed": {"repr": "0:00:03.512000", "seconds": 3.512}, "exception": {"type": "ValueError", "value": "card declined", "traceback": true}, "extra": {"request_id": "req-77"}, "file": {"name": "pay.py", "path": "/srv/app/pay.py"}, "function": "charge", "level": {"icon": "\\u274c", "name": "ERROR", "no": 40}, "line": 42, "message": "charge failed", "module": "pay", "name": "app.pay", "process": {"id": 4242, "name": "MainProcess"}, "thread": {"id": 1401, "name": "MainThread"}, "time": {"repr": "2024-01-15 10:30:45.123000+00:00", "timestamp": 1705314645.123}}}',
    expect: { level: 'error', message: 'charge failed', ids: ['req-77'], time: 1705314645123, errorType: 'ValueError', errorMessage: 'card declined', durationMs: undefined },
  },
  {
    logger: 'winston (npm levels)',
    line: '{"level":"http","message":"GET /health 200","timestamp":"2024-01-15T10:30:45.123Z","service":"api"}',
    expect: { level: 'debug', message: 'GET /health 200', service: 'api' },
  },
  {
    logger: 'pino (custom level formatter)',
    line: '{"level":{"label":"warn","value":40},"time":"2024-01-15T10:30:45.123Z","msg":"pool nearly exhausted","reqId":"req-5"}',
    expect: { level: 'warn', message: 'pool nearly exhausted', ids: ['req-5'] },
  },
  {
    logger: 'Kubernetes audit event',
    line: '{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"6f1c8d2e-4b1a-4c55-9a43-0f3e5d7b9c21","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/default/pods?limit=500","verb":"list","user":{"username":"admin"},"sourceIPs":["10.0.0.7"],"responseStatus":{"metadata":{},"code":200},"requestReceivedTimestamp":"2024-01-15T10:30:45.120000Z","stageTimestamp":"2024-01-15T10:30:45.134000Z"}',
    expect: { time: Date.parse('2024-01-15T10:30:45.134Z'), ids: ['6f1c8d2e-4b1a-4c55-9a43-0f3e5d7b9c21'], operation: 'LIST /api/v1/namespaces/default/pods', level: 'unknown' },
  },
];
