// Default bodies of the delivery-attempt methods of Store (store.h): every
// backend overrides them; the defaults keep older wrappers compiling.
#include "engine/store/store.h"

namespace zgtflow::store {

Status Store::AddDeliveryAttempt(const DeliveryAttemptRow&) {
  return Status::Internal("this store does not record delivery attempts");
}

Result<std::vector<DeliveryAttemptRow>> Store::ListDeliveryAttempts(const std::string&) {
  return Status::Internal("this store does not record delivery attempts");
}

}  // namespace zgtflow::store
