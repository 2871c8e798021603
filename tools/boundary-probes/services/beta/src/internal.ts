export const secret = 'beta';
