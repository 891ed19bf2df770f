/** The server's logger from the `logger` option: pino options, a ready pino logger, or false. */
import pino, { type Logger, type LoggerOptions } from "pino";

const isLogger = (value: unknown): value is Logger =>
  typeof value === "object" && value !== null && typeof (value as Logger).child === "function";

/** A pino logger for the engine; silent for `false`, info to stdout when nothing is given. */
export function createLogger(option: LoggerOptions | Logger | false | undefined): Logger {
  if (option === false) return pino({ enabled: false });
  if (isLogger(option)) return option;
  return pino(option ?? {});
}

/** What Fastify accepts as its `logger`: options (it makes its own pino), or false for an instance or none. */
export function httpLoggerOption(option: LoggerOptions | Logger | false | undefined): LoggerOptions | false {
  return option === undefined || option === false || isLogger(option) ? false : option;
}
