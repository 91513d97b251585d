import type { Layout } from '../types.js';
import { DOTNET_LAYOUTS } from './lang/dotnet.js';
import { JAVA_LAYOUTS } from './lang/java.js';
import { PHP_LAYOUTS } from './lang/php.js';
import { PYTHON_GENERAL, PYTHON_SPECIFIC } from './lang/python.js';
import { RUBY_LAYOUTS } from './lang/ruby.js';

/**
 * Programming-language logger layouts: Python logging, Java (log4j, logback, Spring Boot, JUL),
 * Ruby (Logger, Rails, Merb), PHP (Monolog), .NET (Serilog, NLog). Shapes of their own first;
 * the `<time> <LEVEL> …` shapes Java and Python share last (log4j, then Python).
 */
export const LANGUAGE_LAYOUTS: Layout[] = [...PYTHON_SPECIFIC, ...RUBY_LAYOUTS, ...PHP_LAYOUTS, ...DOTNET_LAYOUTS, ...JAVA_LAYOUTS, ...PYTHON_GENERAL];
