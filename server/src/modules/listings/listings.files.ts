import type { Readable } from 'node:stream';
import { conflict, notFound } from '../../platform/errors';
import type { Principal } from '../../platform/http/auth';
import type { SampleEncoding, SampleFormat } from '../samples/samples.sniff';
import { ingestSample } from '../samples/samples.store';
import { deleteFile, openFile } from '../../platform/storage';
import { loadListing, transitionListing } from './listing.model';
import { canSeeListing, EDITABLE_STATUSES, isEditable, isListingOwner } from './listing.policy';
import { listingView, type ListingView } from './listings.views';

/**
 * Stores an uploaded file as the listing's sample or deliverable, with its scan. Only while the
 * product may be edited; the file is stored only after it parsed, and removed again if the
 * listing changed status meanwhile.
 */
async function attachFile(
  p: Principal,
  id: string,
  file: { buffer: Buffer; originalname: string },
  which: 'sample' | 'dataFile',
): Promise<ListingView> {
  const l = await loadListing(id);
  if (!l || !isListingOwner(p, l)) throw notFound('Listing');
  if (!isEditable(l.status)) {
    throw conflict(`The files of a ${l.status} listing cannot be changed`, { status: l.status });
  }
  const { sample, scan } = await ingestSample(file, { listingId: String(l._id), role: which });
  const scanField = which === 'sample' ? 'sampleScan' : 'dataScan';
  const updated = await transitionListing(
    { _id: l._id, status: { $in: EDITABLE_STATUSES } },
    { $set: { [which]: sample, [scanField]: scan } },
  );
  if (!updated) {
    await deleteFile(sample.fileId);
    throw conflict('The listing changed meanwhile (it was submitted?); reload it');
  }
  return listingView(p, updated);
}

/** Uploads the sample buyers preview (CSV/JSON/XLSX, scanned). */
export function uploadSample(p: Principal, id: string, file: { buffer: Buffer; originalname: string }) {
  return attachFile(p, id, file, 'sample');
}

/** Uploads the deliverable: the file a buyer downloads or whose rows the API serves (scanned, never public). */
export function uploadData(p: Principal, id: string, file: { buffer: Buffer; originalname: string }) {
  return attachFile(p, id, file, 'dataFile');
}

/** The listing's sample file for preview, for whoever may see the listing. */
export async function sampleFile(
  p: Principal | undefined,
  id: string,
): Promise<{ stream: Readable; filename: string; format: SampleFormat; encoding?: SampleEncoding; size: number }> {
  const l = await loadListing(id);
  if (!l || !canSeeListing(p, l) || !l.sample) throw notFound('Sample');
  return {
    stream: openFile(l.sample.fileId),
    filename: l.sample.filename,
    format: l.sample.format as SampleFormat,
    ...(l.sample.encoding ? { encoding: l.sample.encoding as SampleEncoding } : {}),
    size: l.sample.size,
  };
}
