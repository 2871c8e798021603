/**
 * Architecture rules (DESIGN.md "Boundaries"). Each rule has a probe under
 * tools/boundary-probes that must violate it; tools/tests/boundaries.test.ts checks that.
 * The optional `tools/boundary-probes/` prefix lets the same rules apply to the probes. It is a
 * non-capturing group: dependency-cruiser drops unmatched groups before numbering `$n`, so a
 * capturing prefix made `$2` stay literal outside the probes (every import inside a service
 * was flagged, and no-own-index never fired on the real tree).
 */
const ROOT = '^(?:tools/boundary-probes/)?';

module.exports = {
  forbidden: [
    {
      name: 'services-not-to-other-services',
      comment: 'A service imports packages, never another service. Share code through a package.',
      severity: 'error',
      from: { path: `${ROOT}services/([^/]+)/` },
      to: { path: `${ROOT}services/`, pathNot: `${ROOT}services/$1/` },
    },
    {
      name: 'packages-not-to-services-or-apps',
      comment: 'Packages are libraries: they never import a service or an app.',
      severity: 'error',
      from: { path: `${ROOT}packages/` },
      to: { path: `${ROOT}(services|apps)/` },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles. Move the shared piece into its own module.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-own-index',
      comment: "Inside a package, import the module itself, never the package's own index.ts.",
      severity: 'error',
      from: { path: `${ROOT}packages/([^/]+)/src/`, pathNot: `${ROOT}packages/[^/]+/src/index\\.ts$` },
      to: { path: `${ROOT}packages/$1/src/index\\.ts$` },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tools/depcruise.tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json'],
    },
  },
};
