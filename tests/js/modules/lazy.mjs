// Loaded only through dynamic import().
console.log('lazy module evaluated');
export const value = 42;
export default function () { return 'default function'; }
