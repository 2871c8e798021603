// Replaced by the @bosun/testing implementation.
export default async function setup(): Promise<void> {}
