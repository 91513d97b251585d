import type { Layout } from '../types.js';

/** Programming-language logger layouts: Python logging, Java (log4j, logback, Spring Boot, JUL), Ruby (Logger, Rails), PHP (Monolog). */
export const LANGUAGE_LAYOUTS: Layout[] = [];
