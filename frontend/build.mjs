// Bundles the modeler and viewer pages into ../app/static/dist/ with fixed names (the Jinja2 templates
// reference them directly). Usage: `npm run build` (packs the bpmnlint config first), `node build.mjs --watch`.
import * as esbuild from 'esbuild';
import { gzipSync } from 'node:zlib';
import { copyFileSync, readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));
const outdir = path.resolve(root, '..', 'app', 'static', 'dist');
const watch = process.argv.includes('--watch');

const options = {
  absWorkingDir: root,
  entryPoints: { modeler: 'src/modeler.js', viewer: 'src/viewer.js', search: 'src/search.js' },
  outdir,
  bundle: true,
  minify: !watch,
  sourcemap: watch ? 'inline' : false,
  format: 'iife',
  target: [ 'es2020', 'chrome100', 'firefox100', 'safari15' ],
  legalComments: 'linked',
  entryNames: '[name]',
  assetNames: 'assets/[name]',
  loader: {
    '.woff': 'file',
    '.woff2': 'file',
    '.ttf': 'file',
    '.eot': 'file',
    '.svg': 'file',
    '.png': 'file'
  },
  define: { 'process.env.NODE_ENV': watch ? '"development"' : '"production"' },
  metafile: true,
  logLevel: 'warning'
};

if (watch) {
  const context = await esbuild.context(options);
  await context.watch();
  console.log('watching frontend/src ...');
} else {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });

  const started = performance.now();
  const result = await esbuild.build(options);
  const ms = Math.round(performance.now() - started);

  const sizes = {};
  for (const file of Object.keys(result.metafile.outputs)) {
    if (!/\.(js|css)$/.test(file)) {
      continue;
    }
    const bytes = readFileSync(path.resolve(root, file));
    sizes[path.basename(file)] = { min: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  }

  writeFileSync(path.join(outdir, 'sizes.json'), JSON.stringify({ build_ms: ms, files: sizes }, null, 2));

  // The API documentation (/docs) is served from here too, not from a CDN.
  const swagger = path.resolve(root, 'node_modules', 'swagger-ui-dist');
  mkdirSync(path.join(outdir, 'swagger'), { recursive: true });
  for (const file of [ 'swagger-ui-bundle.js', 'swagger-ui.css', 'favicon-32x32.png' ]) {
    copyFileSync(path.join(swagger, file), path.join(outdir, 'swagger', file));
  }

  for (const [ name, size ] of Object.entries(sizes)) {
    console.log(`${name.padEnd(14)} ${(size.min / 1024).toFixed(1).padStart(8)} KB min ${(size.gzip / 1024).toFixed(1).padStart(8)} KB gzip`);
  }
  console.log(`built in ${ms} ms -> ${path.relative(process.cwd(), outdir)}`);
}
