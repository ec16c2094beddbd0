/** Options every zoo family's builder takes, fully resolved (defaults applied at the boundary). */
export interface ZooBuildOptions {
  seed: number;
  /** Opset of the default ONNX domain; see SUPPORTED_OPSETS. */
  opset: number;
  /** 'dynamic': a symbolic first dimension named `batch`; a number fixes it. */
  batch: 'dynamic' | number;
  /** Sequence length of text models (tokens); ignored by image models. */
  seq?: number;
}

export const DEFAULT_SEED = 0;
export const DEFAULT_ZOO_OPSET = 17;
/** Opsets the zoo writes: 13 brought Unsqueeze/Softmax as used here, 17 LayerNormalization (decomposed below 17). */
export const SUPPORTED_OPSETS = [13, 14, 15, 16, 17, 18] as const;
