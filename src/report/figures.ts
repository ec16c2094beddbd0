/**
 * Typed readers of the figures a trial carries besides its latency summary:
 * output agreement, efficiency, and each scenario's own figures. Reports and
 * the terminal read them through here only, so where the result format keeps
 * them is known to this one file.
 */
import type {
  AgreementFigures, EfficiencyFigures, EnsembleFigures, OfflineFigures, ServerFigures, TrialResult,
} from '../results/types.js';

/** Agreement with the reference runtime, or why the reference could not run (`error`). */
export type AgreementFigure = AgreementFigures;
export type ServerFigure = ServerFigures;
export type EnsembleFigure = EnsembleFigures;

export function agreementOf(r: TrialResult): AgreementFigure | undefined {
  return r.agreement;
}

export function efficiencyOf(r: TrialResult): EfficiencyFigures | undefined {
  return r.status === 'ok' ? r.efficiency : undefined;
}

/** The batch scan's outcome: offline and single-stream trials carry it as their figures, an ensemble beside its own. */
export function scanOf(r: TrialResult): OfflineFigures | undefined {
  if (r.scenario === 'offline' || r.scenario === 'single-stream') return r.figures;
  return r.scenario === 'ensemble' ? r.figures?.scan : undefined;
}

export function serverOf(r: TrialResult): ServerFigures | undefined {
  return r.scenario === 'server' ? r.figures : undefined;
}

export function ensembleOf(r: TrialResult): EnsembleFigures | undefined {
  return r.scenario === 'ensemble' ? r.figures : undefined;
}

/**
 * Why a GPU result describes no GPU: a browser's WebGL or WebGPU backend that ran on
 * SwiftShader (the CPU emulating a GPU). Undefined for a real GPU and for CPU backends.
 */
export function softwareGpuOf(r: TrialResult): string | undefined {
  const typed = r.context?.browser?.softwareGpu;
  if (typed !== undefined) return typed ? 'software-emulated (SwiftShader on the CPU)' : undefined;
  const gpu = r.context?.runtimeVersions['chromium.gpu'];
  return gpu?.startsWith('software-emulated') ? gpu : undefined;
}

/** The provider as tables show it: a software-emulated GPU is said so, next to its name. */
export function providerText(r: TrialResult): string {
  return softwareGpuOf(r) ? `${r.provider} (software GPU)` : r.provider;
}

/** The share of the runtime's measured GEMM peak, under its current name or the older one. */
export function measuredPeakShareOf(e: EfficiencyFigures | undefined): number | undefined {
  return e?.measuredPeakShare ?? e?.peakShare;
}
