export { a } from './cycle-a.js';
