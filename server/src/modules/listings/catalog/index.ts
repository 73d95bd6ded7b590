export {
  announceBulkChange,
  catalogState,
  CATALOG_SORTS,
  listedFromMemory,
  pendingReviewPage,
  PRICE_BANDS,
  searchCatalog,
  startCatalog,
  stopCatalog,
  syncCatalog,
  type CatalogFacets,
  type CatalogQuery,
  type CatalogRecord,
  type CatalogResult,
} from './engine';
export { withCatalogFeed } from './feed';
