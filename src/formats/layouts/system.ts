import type { Layout } from '../types.js';
import { ACCESS_LOG, HAPROXY_HTTP, S3_ACCESS, UWSGI_REQUEST } from './system/access.js';
import { COUCHBASE_LOG, MONGODB_LEGACY, MYSQL_ERROR, MYSQL_GENERAL, MYSQL_SLOW, ORACLE_ALERT, POSTGRES, RABBITMQ, REDIS_LOG, SAP_HANA } from './system/database.js';
import { SYSLOG_3164, SYSLOG_5424, VMWARE_LOG } from './system/syslog.js';
import { AUDITD, JVM_UNIFIED, STRACE_LOG, TAI64N, ZEEK_TSV } from './system/tools.js';
import { LAMBDA_LAYOUTS } from './system/lambda.js';
import { W3C_EXTENDED } from './system/w3c.js';
import { APACHE_ERROR, NGINX_ERROR } from './system/weberror.js';

/**
 * System, web server and database layouts: syslog, access and error logs, databases, tracing
 * tools. Order matters only where two could read one line: the more specific first (VMware's
 * RFC 5424 cousin before RFC 5424; S3 before the common access log).
 */
export const SYSTEM_LAYOUTS: Layout[] = [
  SYSLOG_3164,
  VMWARE_LOG,
  SYSLOG_5424,
  S3_ACCESS,
  ACCESS_LOG,
  NGINX_ERROR,
  APACHE_ERROR,
  HAPROXY_HTTP,
  UWSGI_REQUEST,
  W3C_EXTENDED,
  POSTGRES,
  MYSQL_ERROR,
  MYSQL_GENERAL,
  MYSQL_SLOW,
  REDIS_LOG,
  RABBITMQ,
  MONGODB_LEGACY,
  ORACLE_ALERT,
  SAP_HANA,
  COUCHBASE_LOG,
  STRACE_LOG,
  TAI64N,
  JVM_UNIFIED,
  AUDITD,
  ZEEK_TSV,
  ...LAMBDA_LAYOUTS,
];
