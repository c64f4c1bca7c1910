// Progressive enhancement: copy buttons. Without scripts the buttons stay
// hidden and the text can be selected or downloaded instead.
"use strict";

document.querySelectorAll("button[data-copy]").forEach(function (button) {
	if (!navigator.clipboard) {
		return;
	}
	button.hidden = false;
	button.addEventListener("click", function () {
		var source = document.getElementById(button.dataset.copy);
		var status = button.parentElement.querySelector(".copy-status");
		navigator.clipboard.writeText(source.textContent).then(function () {
			status.textContent = "Copied.";
		}, function () {
			status.textContent = "Copying did not work: select the text and copy it instead.";
		});
	});
});
