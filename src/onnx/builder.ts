/**
 * A small typed ONNX graph builder.
 *
 *   const g = new GraphBuilder('conv');
 *   const x = g.input('x', 'float32', ['batch', 3, 8, 8]);
 *   const w = g.initializer('w', float32([4, 3, 3, 3], values));
 *   const y = g.node('Conv', [x, w], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] });
 *   g.output(y, 'float32', ['batch', 4, 8, 8]);
 *   const bytes = g.toBytes({ opset: 17 });   // or: await g.writeFile(path)
 *
 * Values are referred to by name (plain strings). Attribute types are taken
 * from the JavaScript value: an integer is an INT, unless the attribute is
 * one ONNX defines as a float (alpha, epsilon...) or is wrapped in float().
 */
import type { DType } from '../core/tensors.js';
import { DEFAULT_OPSET, type AttrInput, type BuiltGraph, type Dim, type NodeOptions, type NodeSpec, type SerializeOptions, type ValueSpec } from './builder-types.js';
import { toGraphIRFromBuilder } from './builder-ir.js';
import type { GraphIR } from './ir.js';
import { encodeModel, writeModelFile, type WrittenModel } from './serialize.js';
import type { TensorSource } from './tensors.js';
import { isLazy } from './tensors.js';

export * from './builder-types.js';

export class GraphBuilder implements BuiltGraph {
  readonly name: string;
  readonly inputs: ValueSpec[] = [];
  readonly outputs: ValueSpec[] = [];
  readonly nodes: NodeSpec[] = [];
  readonly initializers = new Map<string, TensorSource>();
  private readonly defined = new Set<string>();
  private readonly counters = new Map<string, number>();

  constructor(name: string) {
    this.name = name;
  }

  /** A name not used yet, `<prefix>` or `<prefix>_<n>`. */
  uniqueName(prefix: string): string {
    if (!this.defined.has(prefix) && !this.counters.has(prefix)) {
      this.counters.set(prefix, 0);
      return prefix;
    }
    let n = this.counters.get(prefix) ?? 0;
    let name: string;
    do name = `${prefix}_${++n}`; while (this.defined.has(name));
    this.counters.set(prefix, n);
    return name;
  }

  private define(name: string, what: string): void {
    if (!name) throw new Error(`${what}: a value needs a non-empty name`);
    if (this.defined.has(name)) throw new Error(`${what}: the name ${JSON.stringify(name)} is already used in graph ${this.name}; pick another`);
    this.defined.add(name);
  }

  has(name: string): boolean {
    return this.defined.has(name);
  }

  /**
   * A name that an enclosing graph defines (a subgraph reads it from outer
   * scope): usable as a node input here, declared nowhere in this graph.
   */
  outer(name: string): string {
    this.define(name, 'outer-scope value');
    return name;
  }

  input(name: string, dtype: DType, shape: Dim[]): string {
    this.define(name, 'input');
    this.inputs.push({ name, dtype, shape: [...shape] });
    return name;
  }

  initializer(name: string, tensor: TensorSource): string {
    this.define(name, 'initializer');
    this.initializers.set(name, tensor);
    return name;
  }

  /** An initializer under a fresh name derived from `prefix` (handy for shapes and axes). */
  constant(prefix: string, tensor: TensorSource): string {
    return this.initializer(this.uniqueName(prefix), tensor);
  }

  /** Adds a node and returns its (first) output's name. */
  node(opType: string, inputs: string[], attrs: Record<string, AttrInput> = {}, options: NodeOptions = {}): string {
    return this.nodeOutputs(opType, inputs, attrs, options)[0];
  }

  /** Adds a node and returns all its outputs' names. */
  nodeOutputs(opType: string, inputs: string[], attrs: Record<string, AttrInput> = {}, options: NodeOptions = {}): string[] {
    const name = options.name ?? this.uniqueName(opType);
    for (const i of inputs) {
      if (i !== '' && !this.defined.has(i)) {
        throw new Error(`node ${name} (${opType}): input ${JSON.stringify(i)} is not defined yet; add it as an input, initializer or earlier node output first`);
      }
    }
    const requested = options.outputs ?? 1;
    const outputs = typeof requested === 'number'
      ? Array.from({ length: requested }, (_, k) => this.uniqueName(requested === 1 ? `${name}_out` : `${name}_out${k}`))
      : requested;
    // An empty name marks an optional output left unused.
    for (const o of outputs) if (o !== '') this.define(o, `node ${name} output`);
    this.nodes.push({ name, opType, domain: options.domain ?? '', inputs: [...inputs], outputs, attrs });
    return outputs;
  }

  /**
   * Declares a graph output; `name` must be defined (an input, initializer or
   * node output). Without `shape` it is left undeclared, for the runtime to infer.
   */
  output(name: string, dtype: DType, shape?: Dim[]): string {
    if (!this.defined.has(name)) throw new Error(`output ${JSON.stringify(name)} is not defined in graph ${this.name}`);
    this.outputs.push({ name, dtype, ...(shape ? { shape: [...shape] } : {}) });
    return name;
  }

  /** Number of elements held in initializers. */
  initializerElements(): number {
    let n = 0;
    for (const t of this.initializers.values()) n += t.shape.reduce((a, b) => a * b, 1);
    return n;
  }

  /** The whole model as bytes (lazy initializers are produced; fine for small graphs). */
  toBytes(options: SerializeOptions = {}): Uint8Array {
    return encodeModel(this, options);
  }

  /**
   * Writes the model to `path`, streaming initializers one chunk at a time,
   * so peak memory stays near the largest chunk, not the model's size.
   * Writes the exact bytes toBytes() returns.
   */
  async writeFile(path: string, options: SerializeOptions = {}): Promise<WrittenModel> {
    return writeModelFile(this, path, options);
  }

  /** The graph as GraphIR without serialising; lazy initializers produce data only when read. */
  toGraphIR(options: SerializeOptions = {}): GraphIR {
    return toGraphIRFromBuilder(this, options.opset ?? DEFAULT_OPSET);
  }

  /** Whether any initializer is lazy (bytes produced at write time). */
  hasLazyInitializers(): boolean {
    for (const t of this.initializers.values()) if (isLazy(t)) return true;
    return false;
  }
}

