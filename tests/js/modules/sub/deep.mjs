// Imports with '..' relative to this file's own directory.
import { greet } from '../strings.mjs';
export const deepGreeting = greet('from sub/');
export const meta = typeof import.meta;
