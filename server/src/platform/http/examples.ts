/**
 * Examples for the OpenAPI document, by operation id (`module.name`): request bodies written for the
 * docs and replies recorded from the demo world (arrays cut to two items, the token shortened). They
 * live here rather than in the shared registry so that the client bundle does not carry them;
 * test/platform/openapi.test.ts parses every one with its operation's schema, so none can drift.
 */
export const BODY_EXAMPLES: Record<string, unknown> = {
  'accounts.login': {
    email: 'buyer@demo.zdec.cn',
    password: 'Zdec#2026demo',
  },
  'resources.create': {
    name: '郑州市公交车辆实时到站',
    description: '公交车辆到站预测与线路运行状态。',
    holderDepartment: '郑州市交通运输局',
    regionCode: '410100',
    domain: 'transport',
    openness: 'conditional',
    fields: [
      {
        name: 'line_id',
        type: 'string',
        description: '线路编号',
      },
      {
        name: 'arrival_at',
        type: 'datetime',
        description: '预计到站时间',
      },
    ],
    updateFrequency: 'realtime',
    recordCount: 1200000,
  },
  'authorizations.grant': {
    operatorOrgId: '6b131034e3a4ce0395daa15d',
    resourceIds: ['6b1310c1e3a4ce0395db8000'],
    purpose: '交通出行分析产品开发',
    allowedProductTypes: ['dataset', 'api'],
    allowedDeliveryModes: ['download', 'api'],
    validFrom: '2026-01-01',
    validTo: '2027-12-31',
  },
  'listings.create': {
    title: '郑州市公交到站预测接口',
    summary: '基于公交车辆实时到站数据的预测接口。',
    productType: 'api',
    sourceResourceIds: ['6b1310c1e3a4ce0395db8000'],
    deliveryMode: 'api',
    pricing: {
      model: 'per_call',
      priceFen: 5,
      unit: 'call',
    },
    tags: ['交通', '公交'],
  },
  'listings.review': {
    decision: 'reject',
    reasons: ['样例数据缺少字段说明'],
  },
  'trade.createOrder': {
    listingId: '6b13107fe3a4ce0395db0d4b',
    quantity: 1,
    paymentMethod: 'bank_transfer',
  },
  'trade.confirmTransfer': {
    bankReference: 'ICBC-20261204-0042',
    amountFen: 3000000,
  },
};

export const REPLY_EXAMPLES: Record<string, unknown> = {
  'accounts.register': {
    status: 'accepted',
    message: 'Registration received. Sign in with this e-mail address and password.',
  },
  'accounts.login': {
    token: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.…',
    user: {
      id: '6b131037e3a4ce0395daa175',
      email: 'buyer@demo.zdec.cn',
      displayName: '采购部 周杰',
      role: 'buyer',
      org: {
        id: '6b131036e3a4ce0395daa172',
        name: '河南中原智慧物流有限公司',
        creditCode: '91410100MA9WL5T6R1',
      },
    },
  },
  'accounts.me': {
    id: '6b131037e3a4ce0395daa175',
    email: 'buyer@demo.zdec.cn',
    displayName: '采购部 周杰',
    role: 'buyer',
    org: {
      id: '6b131036e3a4ce0395daa172',
      name: '河南中原智慧物流有限公司',
      creditCode: '91410100MA9WL5T6R1',
    },
  },
  'listings.search': {
    items: [
      {
        id: '6b13107fe3a4ce0395db0d4b',
        code: 'ZDEC-2026-000071',
        title: '信阳市交通运行年度报告（2026年版）',
        summary:
          '全年拥堵指数、通勤时间与重点道路分析。数据来源：信阳市城市道路交通拥堵指数（信阳市公安局交通管理支队）。',
        productType: 'report',
        providerOrgId: '6b131034e3a4ce0395daa15d',
        providerName: '郑州交通大数据运营有限公司',
        sourceResourceIds: ['6b13103ee3a4ce0395daa54d'],
        authorizationId: '6b131048e3a4ce0395daadc1',
        grade: 'general',
        level: 'L1',
        domains: ['transport'],
        deIdentified: false,
        deliveryMode: 'download',
        pricing: {
          model: 'one_time',
          priceFen: 720000,
        },
        sample: {
          filename: '信阳市交通运行年度报告（2026年版）-样例.csv',
          format: 'csv',
          size: 784,
          sha256: 'ad5c6f82d012ad5326b57cb214d7149549b04490f83e51a0bea795d6a039814c',
          uploadedAt: '2026-12-04T19:12:00.004Z',
        },
        tags: ['交通运行', '交通物流'],
        sandboxK: null,
        status: 'listed',
        listedAt: '2026-06-05T03:52:00.000Z',
        settledCount: 3,
        createdAt: '2026-06-03T03:05:00.000Z',
        updatedAt: '2026-10-14T02:15:00.000Z',
      },
    ],
    total: 102,
    page: 1,
    pageSize: 1,
    facets: {
      domain: [
        {
          value: 'transport',
          count: 73,
        },
        {
          value: 'urban-management',
          count: 29,
        },
      ],
      type: [
        {
          value: 'report',
          count: 40,
        },
        {
          value: 'dataset',
          count: 22,
        },
      ],
      grade: [
        {
          value: 'general',
          count: 101,
        },
        {
          value: 'important',
          count: 1,
        },
      ],
      price: [
        {
          band: 'under-1k',
          minPriceFen: 0,
          maxPriceFen: 99999,
          count: 20,
        },
        {
          band: '1k-10k',
          minPriceFen: 100000,
          maxPriceFen: 999999,
          count: 25,
        },
      ],
    },
  },
  'trade.listOrders': {
    items: [
      {
        number: 'ORD-2026-000613',
        buyerOrgId: '6b131036e3a4ce0395daa172',
        buyerUserId: '6b131037e3a4ce0395daa175',
        providerOrgId: '6b131034e3a4ce0395daa15d',
        listingId: '6b1310c1e3a4ce0395db8038',
        listingCode: 'ZDEC-2026-000167',
        authorizationId: '6b1310c1e3a4ce0395db8022',
        snapshot: {
          title: '郑州货运车辆轨迹沙箱分析',
          productType: 'service',
          grade: 'important',
          deliveryMode: 'sandbox',
          pricing: {
            model: 'one_time',
            priceFen: 3000000,
          },
        },
        quantity: 1,
        terms: {},
        amountFen: 3000000,
        currency: 'cny',
        paymentMethod: 'bank_transfer',
        status: 'delivered',
        createdAt: '2026-12-04T19:13:05.964Z',
        updatedAt: '2026-12-04T19:13:06.072Z',
        paidAt: '2026-12-04T19:13:05.998Z',
        payment: {
          method: 'bank_transfer',
          receivedFen: 3000000,
          bankReference: 'SBX-95db8076',
          confirmedBy: '6b131033e3a4ce0395daa14b',
        },
        deliveredAt: '2026-12-04T19:13:06.069Z',
        id: '6b1310c1e3a4ce0395db8076',
      },
    ],
    total: 159,
    page: 1,
    pageSize: 1,
  },
  'resources.list': {
    items: [
      {
        kind: 'public',
        ownerOrgId: '6b131030e3a4ce0395daa13c',
        createdBy: '6b131031e3a4ce0395daa13f',
        name: '郑州市营运货车北斗轨迹（沙箱）',
        description: '重点营运货车北斗定位轨迹，含车牌号与精确坐标，属重要数据，仅可在隐私计算沙箱内使用',
        holderDepartment: '郑州市交通运输局',
        regionCode: '410100',
        domain: 'transport',
        openness: 'conditional',
        fields: [
          {
            name: '轨迹点编号',
            type: 'string',
            description: '定位记录编号',
          },
          {
            name: '车牌号',
            type: 'string',
            description: '营运货车号牌',
          },
        ],
        updateFrequency: 'daily',
        recordCount: 3600,
        status: 'registered',
        createdAt: '2026-12-04T19:13:05.030Z',
        updatedAt: '2026-12-04T19:13:05.293Z',
        grade: 'important',
        level: 'L4',
        sample: {
          fileId: '6b1310c1e3a4ce0395db8005',
          filename: '郑州市营运货车北斗轨迹（沙箱）-样例.csv',
          format: 'csv',
          encoding: 'utf-8',
          size: 3691,
          sha256: '0a24a296261405e52716da508b746053040799021bc737c607efa9c18a336c5e',
          uploadedAt: '2026-12-04T19:13:05.151Z',
        },
        scan: {
          rowsScanned: 40,
          fields: [
            {
              field: '轨迹点编号',
              nonEmpty: 40,
              findings: [],
              level: 'L1',
            },
            {
              field: '车牌号',
              nonEmpty: 40,
              findings: [
                {
                  detector: 'licencePlate',
                  matches: 40,
                  share: 1,
                  level: 'L3',
                  examples: ['豫A***06', '豫H***56'],
                  confirmedShare: 1,
                  likelihood: 0.85,
                  counted: true,
                },
              ],
              level: 'L3',
            },
          ],
          proposed: {
            grade: 'general',
            level: 'L4',
          },
          complete: true,
        },
        certificate: {
          number: 'DR-410100-2026-000003',
          issuedAt: '2026-12-04T19:13:05.262Z',
          digest: 'f791ca23214e1c75b50479492e4d33cf0d75c67b19ad4a0cbc06c14d984da4d0',
        },
        registeredAt: '2026-12-04T19:13:05.262Z',
        registrationNumber: 'DR-410100-2026-000003',
        id: '6b1310c1e3a4ce0395db8000',
      },
    ],
    total: 83,
    page: 1,
    pageSize: 1,
  },
  'authorizations.list': {
    items: [
      {
        id: '6b1310c1e3a4ce0395db8022',
        number: 'SQ-2026-000002',
        authorityOrgId: '6b131030e3a4ce0395daa13c',
        operatorOrgId: '6b131034e3a4ce0395daa15d',
        resourceIds: ['6b1310c1e3a4ce0395db8000'],
        purpose: '郑州货运车辆轨迹沙箱分析：在隐私计算沙箱内提供聚合分析服务',
        allowedProductTypes: ['dataset', 'service'],
        allowedDeliveryModes: ['sandbox'],
        validFrom: '2026-11-03T16:00:00.000Z',
        validTo: '2028-12-03T15:59:59.999Z',
        status: 'active',
        grantedBy: '6b131031e3a4ce0395daa13f',
        createdAt: '2026-12-04T19:13:05.358Z',
        updatedAt: '2026-12-04T19:13:05.358Z',
        effectiveStatus: 'active',
        operator: {
          id: '6b131034e3a4ce0395daa15d',
          name: '郑州交通大数据运营有限公司',
          creditCode: '91410100MA9JT0Y2XG',
        },
        authority: {
          id: '6b131030e3a4ce0395daa13c',
          name: '河南省行政审批和政务信息管理局（省数据局）',
        },
        resources: [
          {
            id: '6b1310c1e3a4ce0395db8000',
            registrationNumber: 'DR-410100-2026-000003',
            name: '郑州市营运货车北斗轨迹（沙箱）',
            domain: 'transport',
            grade: 'important',
            level: 'L4',
          },
        ],
      },
    ],
    total: 13,
    page: 1,
    pageSize: 1,
  },
  'ledger.list': {
    items: [
      {
        id: '000000001028',
        seq: 1028,
        at: '2026-12-04T19:13:05.998Z',
        month: '2026-12',
        type: 'trade.settled',
        ref: '6b1310c1e3a4ce0395db8076',
        orderId: '6b1310c1e3a4ce0395db8076',
        listingId: '6b1310c1e3a4ce0395db8038',
        listingCode: 'ZDEC-2026-000167',
        authorizationId: '6b1310c1e3a4ce0395db8022',
        orgIds: ['6b131034e3a4ce0395daa15d', '6b131036e3a4ce0395daa172'],
        amountFen: 3000000,
        grade: 'important',
        prevHash: '437f5a1993ac6d023d26cab0f352c4d61d5399770ff63876508c49bbca09a260',
        hash: '5a2e2ddae29c5f65709ae9b18347380d82c7be22ef8df14e9cb00eb10cfe89be',
      },
    ],
    total: 1028,
    page: 1,
    pageSize: 1,
  },
  'ledger.verify': {
    ok: true,
    checked: 1028,
    headSeq: 1028,
    headHash: '5a2e2ddae29c5f65709ae9b18347380d82c7be22ef8df14e9cb00eb10cfe89be',
    checkpointsChecked: 697,
  },
  'ledger.publicKey': {
    algorithm: 'Ed25519',
    keyId: 'fc4f1db93982a05d',
    publicKeyPem:
      '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAEyOnR25RTWSXacqyNiFW45vzdrqIEmyT0wa4eu9z2yw=\n-----END PUBLIC KEY-----\n',
  },
  'stats.targets': {
    asOf: '2026-12-04T19:15:17.002Z',
    listings: {
      cumulative: 243,
      target: 5000,
      progress: 0.0486,
    },
    volume: {
      cumulativeFen: 20068420000,
      targetFen: 1000000000000,
      progress: 0.0201,
    },
    deadline: '2027-12-31',
    monthly: [
      {
        month: '2025-01',
        listed: 0,
        volumeFen: 0,
      },
      {
        month: '2025-02',
        listed: 1,
        volumeFen: 0,
      },
    ],
    projection: {
      window: {
        from: '2026-07',
        to: '2026-12',
        months: 6,
      },
      listingsAtDeadline: 415,
      volumeFenAtDeadline: 41959620000,
      onTrack: {
        listings: false,
        volume: false,
      },
    },
  },
  'notifications.inbox': {
    items: [
      {
        id: '6b131032e3a4ce0395daa146:6',
        n: 6,
        kind: 'review.requested',
        params: {
          title: '郑州货运车辆轨迹沙箱分析',
        },
        link: '/exchange',
        at: '2026-12-04T19:13:05.771Z',
        read: false,
      },
    ],
    total: 6,
    page: 1,
    pageSize: 1,
    unread: 6,
  },
  'receipts.lookup': {
    number: 'ZDEC-2026-000071',
    receipt: 'listing',
    proof: {
      kind: 'zdec-ledger-proof/v1',
      entry: {
        seq: 527,
        month: '2026-06',
        type: 'listing.listed',
        ref: '6b13107fe3a4ce0395db0d4b',
        listingId: '6b13107fe3a4ce0395db0d4b',
        listingCode: 'ZDEC-2026-000071',
        authorizationId: '6b131048e3a4ce0395daadc1',
        orgIds: ['6b131030e3a4ce0395daa13c', '6b131034e3a4ce0395daa15d'],
        amountFen: 0,
        grade: 'general',
        prevHash: '9bff7832d34dec429e044b35d190ac3efadfb2697c9fa76ccf1aa63f64de1668',
        hash: 'b6b7ac1cbf40ce1feb68b8a500073d1e674fc9a20c0d7831bcc04f2e20b09087',
        at: '2026-06-05T03:52:00.000Z',
      },
      inclusion: {
        leafIndex: 526,
        treeSize: 1017,
        path: [
          '4fb71ab5f9e307a1131a4c09db96f22c237ace753bedace7f41e87db4f545732',
          '8240f4fad211b4498d12abc3d05c095161033580c8548962aa0497e6e2c6b533',
        ],
      },
      treeHead: {
        size: 1017,
        root: 'e13c644a204c3a9872fef330c73e194efb4e9fd97ba7aa843e0ff467abc1e476',
        time: '2026-12-04T00:00:00.000Z',
        keyId: 'fc4f1db93982a05d',
        signature: 'O8qMBzTsX6cQhZ+Tl95DsG34KdtA/reUwlsc7tzv3TbuM6bsEbd3KSI9RYleoRlYK2HfUvVUvoJOytsXocgSCw==',
      },
    },
  },
};

// A record's view is the same in its list and on its own page, where a listing adds its sources,
// authorization and purchasability and an order its refund request.
REPLY_EXAMPLES['resources.get'] = (REPLY_EXAMPLES['resources.list'] as { items: unknown[] }).items[0];
REPLY_EXAMPLES['trade.getOrder'] = {
  ...(REPLY_EXAMPLES['trade.listOrders'] as { items: object[] }).items[0],
  refundRequest: null,
};
REPLY_EXAMPLES['listings.get'] = {
  ...(REPLY_EXAMPLES['listings.search'] as { items: object[] }).items[0],
  sources: [
    {
      id: '6b13103ee3a4ce0395daa54d',
      registrationNumber: 'DR-411500-2025-000002',
      name: '信阳市城市道路交通拥堵指数',
      kind: 'public',
      domain: 'transport',
      grade: 'general',
      level: 'L1',
    },
  ],
  authorization: { id: '6b131048e3a4ce0395daadc1', number: 'SQ-2025-000004', effectiveStatus: 'active' },
  purchasable: true,
};
