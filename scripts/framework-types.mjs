// Typed framework integrations, generated from custom-elements.json after the build's
// declarations (scripts/build.mjs runs it):
//
//   dist/types/react.d.ts  the tags in React 19's JSX.IntrinsicElements
//   dist/types/vue.d.ts    the tags in Vue's GlobalComponents (templates checked by vue-tsc)
//   dist/react.js, dist/vue.js  empty modules, so that `import 'usage-dashboard-elements/react'` resolves
//
// A host opts in once: `import type {} from 'usage-dashboard-elements/react'` (or `/vue`).
// Each element's public writable properties are typed by indexed access on its class
// (`ConsumptionEventsTable['pageSize']`), so the types follow the class; a property whose
// setter takes more than its getter gives (`filters` takes a partial state) is typed by the
// setter's parameter, read from the class's declaration file.
//
//   node scripts/framework-types.mjs   → writes the four files from the current build
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const TYPES_DIR = 'dist/types';
/** The package root's declarations, relative to dist/types: the names the generated files import. */
const ROOT_TYPES = './src/index.js';

const camelize = (name) => name.replace(/-([a-z])/g, (_, letter) => letter.toUpperCase());
/** `dist/a/b.js` (a manifest module path) → `dist/types/src/a/b.d.ts`. */
const declarationFile = (module) => module.replace(/^dist\//, `${TYPES_DIR}/src/`).replace(/\.js$/, '.d.ts');
const key = (name) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : `'${name}'`);

function docComment(text, indent) {
  const lines = text?.trim().replaceAll('*/', '*\\/').split('\n');
  if (!lines?.length || !lines[0]) return '';
  return lines.length === 1 ? `${indent}/** ${lines[0]} */\n` : `${indent}/**\n${lines.map((line) => `${indent} *${line ? ` ${line}` : ''}`).join('\n')}\n${indent} */\n`;
}

/** The names a declaration file exports, following `export *` and `export { … } from` through relative modules. */
function exportedNames(file, seen = new Set()) {
  if (seen.has(file)) return new Set();
  seen.add(file);
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const names = new Set();
  const target = (node) => join(dirname(file), node.moduleSpecifier.text.replace(/\.js$/, '.d.ts'));
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement)) {
      if (!statement.exportClause && statement.moduleSpecifier?.text.startsWith('.')) for (const name of exportedNames(target(statement), seen)) names.add(name);
      else if (statement.exportClause && ts.isNamedExports(statement.exportClause)) for (const element of statement.exportClause.elements) names.add(element.name.text);
    } else if (statement.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)) {
      if (ts.isVariableStatement(statement)) for (const declaration of statement.declarationList.declarations) names.add(declaration.name.getText(source));
      else if (statement.name) names.add(statement.name.text);
    }
  }
  return names;
}

/**
 * The public setters of a class's declaration file: name → { text, names, missing }, its
 * parameter's type as written, the names of this file it uses (imported or its own: the
 * generated files import them from the package root) and those the root does not export.
 */
function setterTypes(file, rootExports) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const declared = new Set();
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const bindings = statement.importClause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) for (const element of bindings.elements) declared.add(element.name.text);
    } else if (statement.name) declared.add(statement.name.text);
  }
  const setters = new Map();
  const visit = (node) => {
    if (ts.isSetAccessorDeclaration(node) && ts.isIdentifier(node.name) && node.parameters[0]?.type) {
      const hidden = node.modifiers?.some((modifier) => [ts.SyntaxKind.PrivateKeyword, ts.SyntaxKind.ProtectedKeyword, ts.SyntaxKind.StaticKeyword].includes(modifier.kind));
      const type = node.parameters[0].type;
      const names = new Set();
      const collect = (child) => {
        if (ts.isTypeReferenceNode(child) && ts.isIdentifier(child.typeName)) names.add(child.typeName.text);
        ts.forEachChild(child, collect);
      };
      collect(type);
      // A name this file does not declare nor import is a global one (Partial, HTMLElement).
      const own = [...names].filter((name) => declared.has(name));
      if (!hidden) setters.set(node.name.text, { text: type.getText(source), names: own, missing: own.filter((name) => !rootExports.has(name)) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return setters;
}

/**
 * What the manifest says of each element a framework can use: its tag, its class, its
 * public writable properties (with their JSX type), its attributes and its events.
 */
export function describeElements(manifest, dir = root) {
  const declarations = new Map();
  for (const module of manifest.modules) for (const declaration of module.declarations ?? []) declarations.set(declaration.name, { declaration, module: module.path });
  const rootExports = exportedNames(join(dir, TYPES_DIR, 'src/index.d.ts'));
  const elements = [];
  for (const { declaration, module } of declarations.values()) {
    if (!declaration.customElement || !declaration.tagName) continue;
    const className = declaration.name;
    if (!rootExports.has(className)) throw new Error(`framework types: ${className} (<${declaration.tagName}>) is not exported by the package root`);
    // Setters of the class and of its ancestors in the package, the nearest first.
    const setters = new Map();
    for (let current = { declaration, module }; current; current = current.declaration.superclass?.module && declarations.get(current.declaration.superclass.name)) {
      for (const [name, type] of setterTypes(join(dir, declarationFile(current.module)), rootExports)) if (!setters.has(name)) setters.set(name, type);
    }
    const imports = new Set([className]);
    const properties = [];
    for (const member of declaration.members ?? []) {
      if (member.kind !== 'field' || member.static || member.readonly || (member.privacy ?? 'public') !== 'public' || member.name.startsWith('#')) continue;
      const read = `${className}['${member.name}']`;
      // The setter's parameter when it takes more than the getter gives, beyond null and undefined.
      const setter = setters.get(member.name);
      const wider = setter && ![member.type?.text, `${member.type?.text} | null | undefined`].includes(setter.text);
      if (wider && setter.missing.length) console.warn(`framework types: ${className}.${member.name} typed as it reads: the package root does not export ${setter.missing.join(', ')}`);
      const type = wider && !setter.missing.length ? setter.text : read;
      if (type !== read) for (const name of setter.names) imports.add(name);
      properties.push({ name: member.name, type, read, description: member.description });
    }
    const byName = new Map(properties.map((property) => [property.name, property]));
    const attributes = (declaration.attributes ?? []).map((attribute) => ({
      name: attribute.name,
      property: byName.get(attribute.name) ?? null,
      // Its field's type when the field is a public property, else text.
      type: byName.has(attribute.fieldName) ? `AttributeValue<${byName.get(attribute.fieldName).read}>` : 'string',
      description: attribute.description,
    }));
    const events = (declaration.events ?? []).filter((event) => event.name).map((event) => ({ name: event.name, type: `HTMLElementEventMap['${event.name}']`, description: event.description }));
    elements.push({ tag: declaration.tagName, className, summary: declaration.summary ?? declaration.description, properties, attributes, events, imports });
  }
  return elements.sort((a, b) => a.tag.localeCompare(b.tag));
}

const HEADER = `// Generated by scripts/framework-types.mjs from custom-elements.json: do not edit.`;
const ATTRIBUTE_VALUE = `/**
 * An attribute's value: its property's type; a number also as text (\`page-size="25"\`);
 * a property that is null while the attribute is absent also \`true\` (present, empty).
 */
type AttributeValue<T> = T extends number ? T | \`\${T}\` : T extends null ? null | true : T;`;

function imports(elements, framework) {
  const names = [...new Set(elements.flatMap((element) => [...element.imports]))].sort();
  return `${framework}\nimport type { ${names.join(', ')} } from '${ROOT_TYPES}';\n`;
}

/** One type literal's members: each entry `{ name, type, description }`. */
const body = (entries, indent, optional = '?') =>
  entries.map(({ name, type, description }) => `${docComment(description, indent)}${indent}${key(name)}${optional}: ${type};\n`).join('');

/**
 * React 19: a prop is set as a property when the element has one (the camelCase names),
 * as an attribute otherwise (the kebab-case names, as text), and `on<event-name>` listens.
 */
export function reactTypes(elements) {
  const tags = elements.map((element) => {
    const entries = [
      ...element.properties,
      // An attribute named as its property is that property (React sets the property).
      ...element.attributes.filter((attribute) => !attribute.property),
      ...element.events.map((event) => ({ name: `on${event.name}`, type: `(event: ${event.type}) => void`, description: event.description })),
    ];
    return `${docComment(element.summary, '      ')}      '${element.tag}': ElementProps<${element.className}, {\n${body(entries, '        ')}      }>;\n`;
  });
  return `${HEADER}
// The tags in React 19's JSX: \`import type {} from 'usage-dashboard-elements/react';\` once.
${imports(elements, "import type { DetailedHTMLProps, HTMLAttributes } from 'react';")}
${ATTRIBUTE_VALUE}

/** React's props of an HTML element, with the element's own in place of any of the same name. */
type ElementProps<E extends HTMLElement, Props> = Omit<DetailedHTMLProps<HTMLAttributes<E>, E>, keyof Props> & Props;

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
${tags.join('')}    }
  }
}

export {};
`;
}

/**
 * Vue 3.5: Vue's own helper for custom elements (vuejs.org, "Web Components and
 * TypeScript"). vue-tsc reads a component's bindings from \`$props\` in camelCase (it
 * camelizes \`page-size\` and \`:page-size\` alike, and does not check \`data-*\`), so a
 * property and its attribute share one key that takes either's values; events come from
 * \`$emit\`.
 */
export function vueTypes(elements) {
  const tags = elements.map((element) => {
    const props = new Map(element.properties.map((property) => [property.name, { ...property, types: [property.type] }]));
    for (const attribute of element.attributes) {
      if (attribute.property || attribute.name.startsWith('data-')) continue;
      const name = camelize(attribute.name);
      const entry = props.get(name) ?? props.set(name, { name, types: [], description: attribute.description }).get(name);
      if (!entry.types.includes(attribute.type)) entry.types.push(attribute.type);
    }
    // AttributeValue<P['x']> takes every value of P['x'] too.
    const type = ({ types, read }) => types.filter((one) => one !== read || !types.includes(`AttributeValue<${read}>`)).join(' | ');
    const entries = [...props.values()].map((entry) => ({ ...entry, type: type(entry) }));
    return `${docComment(element.summary, '    ')}    '${element.tag}': DefineCustomElement<\n      ${element.className},\n      {\n${body(entries, '        ')}      },\n      {\n${body(element.events, '        ', '')}      }\n    >;\n`;
  });
  return `${HEADER}
// The tags in Vue's templates, for vue-tsc: \`import type {} from 'usage-dashboard-elements/vue';\` once.
${imports(elements, "import type { EmitFn, HTMLAttributes, PublicProps } from 'vue';")}
${ATTRIBUTE_VALUE}

/**
 * A custom element in Vue's templates (Vue's guide, "Web Components and TypeScript"):
 * \`$props\` types its bindings, \`$emit\` its events. Neither is on the element.
 */
type DefineCustomElement<E extends HTMLElement, Props, Events extends Record<string, Event>> = new () => E & {
  /** @deprecated Template type checking only: the element has no \`$props\`. */
  $props: Omit<HTMLAttributes, keyof Props> & Props & PublicProps;
  /** @deprecated Template type checking only: the element has no \`$emit\`. */
  $emit: EmitFn<{ [K in keyof Events]: (event: Events[K]) => void }>;
};

declare module 'vue' {
  interface GlobalComponents {
${tags.join('')}  }
}

export {};
`;
}

/** Writes the two declaration files and their empty runtime modules into `dir`/dist. */
export function writeFrameworkTypes(dir = root) {
  const manifest = JSON.parse(readFileSync(join(dir, 'custom-elements.json'), 'utf8'));
  const elements = describeElements(manifest, dir);
  mkdirSync(join(dir, TYPES_DIR), { recursive: true });
  for (const [name, generate] of [
    ['react', reactTypes],
    ['vue', vueTypes],
  ]) {
    writeFileSync(join(dir, TYPES_DIR, `${name}.d.ts`), generate(elements));
    writeFileSync(join(dir, 'dist', `${name}.js`), `${HEADER}\n// Types only (${posix.join(TYPES_DIR, `${name}.d.ts`)}): this module lets a plain import resolve.\nexport {};\n`);
  }
  return elements;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const elements = writeFrameworkTypes();
  console.log(`framework types: ${elements.map((element) => element.tag).join(', ')}`);
}
