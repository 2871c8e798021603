/**
 * npx tsx bench/http/profile-summary.ts <file.cpuprofile> [top=25]
 *
 * Summarises a V8 CPU profile (from `run.ts --profile`): self time by function and by
 * package, and inclusive time of the frames whose name matches `--match=regex`.
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const match = process.argv.find((a) => a.startsWith('--match='))?.slice(8);
if (!file) throw new Error('Usage: profile-summary.ts <file.cpuprofile> [top]');
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const self = new Map<number, number>();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i]!;
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const requests = Number(process.argv.find((a) => a.startsWith('--requests='))?.slice(11) ?? 0);
const pct = (us: number) =>
  requests > 0 ? `${(us / requests).toFixed(2)} us/req` : `${((100 * us) / total).toFixed(1)}%`;

const where = (n: Node) => {
  const url = n.callFrame.url.replace(/^file:\/\//, '');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  const ws = /\/(packages\/[^/]+|bench\/[^/]+)\//.exec(url)?.[1];
  if (ws) return ws;
  return url.startsWith('node:') ? 'node' : url || `(${n.callFrame.functionName || 'program'})`;
};

const bump = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
const fnSelf = new Map<string, number>();
const pkgSelf = new Map<string, number>();
for (const [id, us] of self) {
  const n = byId.get(id)!;
  const fileName = n.callFrame.url.split('/').pop() ?? '';
  bump(fnSelf, `${n.callFrame.functionName || '(anonymous)'} ${fileName}:${n.callFrame.lineNumber + 1}`, us);
  bump(pkgSelf, where(n), us);
}
const show = (title: string, m: Map<string, number>) => {
  console.log(`\n## ${title}`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${pct(v).padStart(6)}  ${k}`);
};
console.log(`total sampled ${(total / 1e6).toFixed(2)} s`);
show('self time by package', pkgSelf);
show('self time by function', fnSelf);

if (match) {
  const re = new RegExp(match);
  const inclusive = new Map<string, number>();
  for (const [id, us] of self) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur)!;
      const key = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}`;
      if (re.test(key) && !seen.has(key)) {
        seen.add(key);
        bump(inclusive, key, us);
      }
    }
  }
  show(`inclusive time of frames matching /${match}/`, inclusive);
}
